import { randomUUID } from 'node:crypto';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { PinoNestLogger } from '@app/platform';
import { validationPipe } from './http/validation';
import { setupOpenApi } from './openapi';

/** Bodies larger than this are refused with 413 before any parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** CSV imports of a national hierarchy (~100,000 lines) are larger. */
export const MAX_CSV_BYTES = 32 * 1024 * 1024;

/** Builds the Fastify-based Nest application for a root module; shared by the api and engine entry points and tests. */
export const createHttpApp = async (root: DynamicModule, logger: Logger): Promise<NestFastifyApplication> => {
  const adapter = new FastifyAdapter({
    bodyLimit: MAX_BODY_BYTES,
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 300 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  app.useGlobalPipes(validationPipe());
  setupOpenApi(app);
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_CSV_BYTES }, (_request, body, done) =>
      done(null, body),
    );
  return app;
};
