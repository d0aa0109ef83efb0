import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { PinoNestLogger } from '@app/platform';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Builds the Fastify-based Nest application for a root module; shared by the api and engine entry points and tests. */
export const createHttpApp = async (root: DynamicModule, logger: Logger): Promise<NestFastifyApplication> => {
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter({ bodyLimit: MAX_BODY_BYTES }), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  return app;
};
