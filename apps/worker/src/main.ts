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
  logger.info({ mode: config.mode }, 'worker running');
  return app;
});
