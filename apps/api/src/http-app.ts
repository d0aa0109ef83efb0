import { randomUUID } from 'node:crypto';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { type FieldError, ValidationError } from '@app/kernel';
import { AppMetrics } from '@app/metrics';
import { PinoNestLogger } from '@app/platform';
import { observeRequests } from './http/request-metrics';
import { validationPipe } from './http/validation';
import { setupOpenApi } from './openapi';
import { setupWebApp } from './web/web-app';

/** Bodies larger than this are refused with 413 before any parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** CSV imports of a national hierarchy (~100,000 lines) are larger. */
export const MAX_CSV_BYTES = 32 * 1024 * 1024;
/**
 * Far deeper than any body of this API (an amendment's milestones sit 5 levels down). Deeper
 * nesting is refused before recursive code (the validation pipe, class-transformer) can overflow
 * the stack on it.
 */
export const MAX_JSON_DEPTH = 32;
/** Keys that reach a prototype when an object is merged or transformed; no field of this API has these names. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type JsonNode = { value: unknown; key: string; parent: JsonNode | undefined; depth: number };
const pathOf = (node: JsonNode): string => {
  const keys: string[] = [];
  for (let at: JsonNode | undefined = node; at?.parent; at = at.parent) keys.unshift(at.key);
  return keys.length === 0 ? 'body' : keys.join('.').replace(/\.\[/g, '[');
};

/** The first reason to refuse a parsed JSON body, or undefined. Iterative, so any depth is safe to check. */
export const jsonBodyProblem = (body: unknown): FieldError | undefined => {
  const stack: JsonNode[] = [{ value: body, key: '', parent: undefined, depth: 0 }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { value, depth } = node;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      return { field: 'body', message: `must not nest arrays or objects more than ${MAX_JSON_DEPTH} deep` };
    const isArray = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      const entry = { value: child, key: isArray ? `[${key}]` : key, parent: node, depth: depth + 1 };
      if (!isArray && RESERVED_KEYS.has(key))
        return { field: pathOf(entry), message: `${key} is a reserved name, refused as a key` };
      stack.push(entry);
    }
  }
  return undefined;
};

const refuseJson = (code: string, message: string, field: FieldError) => new ValidationError(code, message, [field]);

/** application/json: a syntax error, a reserved key or too deep a nesting is a 400 that says which. */
const parseJsonBody = (text: string): unknown => {
  if (text.trim() === '') {
    throw refuseJson('REQUEST.INVALID_JSON', 'The body is empty but Content-Type is application/json', {
      field: 'body',
      message: 'send a JSON object, or no Content-Type with no body',
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw refuseJson('REQUEST.INVALID_JSON', `The body is not valid JSON: ${reason}`, { field: 'body', message: reason });
  }
  const problem = jsonBodyProblem(body);
  if (problem) throw refuseJson('REQUEST.INVALID', `Invalid request: ${problem.field}`, problem);
  return body;
};

export type HttpAppOptions = Readonly<{
  /** The built dashboard (default: dist/web); tests point it at a fresh build. */
  webDir?: string;
}>;

/** Builds the Fastify-based Nest application for a root module; shared by the api and engine entry points and tests. */
export const createHttpApp = async (
  root: DynamicModule,
  logger: Logger,
  options: HttpAppOptions = {},
): Promise<NestFastifyApplication> => {
  const adapter = new FastifyAdapter({
    bodyLimit: MAX_BODY_BYTES,
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 300 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // The JSON parser is ours (below); with Fastify's text/plain and our text/csv, any other content type is a 415.
    bodyParser: false,
  });
  app.useGlobalPipes(validationPipe());
  setupOpenApi(app);
  setupWebApp(app, logger, options.webDir);
  observeRequests(app, app.get(AppMetrics).http);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_CSV_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  return app;
};
