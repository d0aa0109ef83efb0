import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, PlatformModule } from '@app/platform';
import { runMain } from '@app/platform';
import { WorkerModule } from './worker.module';

@Module({})
class WorkerRootModule {}

/** The worker alone: no HTTP, only subscriptions. */
runMain('worker', async (config, logger) => {
  const app = await NestFactory.createApplicationContext(
    { module: WorkerRootModule, imports: [PlatformModule.forRoot(config, logger), WorkerModule] },
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  await app.init();
  // Nothing else may hold the event loop open (no HTTP server; no subscription registered yet), and
  // a worker must run until it is told to stop.
  const keepAlive = setInterval(() => undefined, 60_000);
  logger.info({ mode: config.mode }, 'worker running');
  return {
    close: async () => {
      clearInterval(keepAlive);
      await app.close();
    },
  };
});
