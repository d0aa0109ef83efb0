import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppMetrics, type MetricsServer, startMetricsServer } from '@app/metrics';
import { PinoNestLogger, PlatformModule } from '@app/platform';
import { runMain } from '@app/platform';
import { WorkerModule } from './worker.module';

@Module({})
class WorkerRootModule {}

/** The worker alone: subscriptions, and with METRICS_PORT a bare HTTP server for /metrics and a liveness probe. */
runMain('worker', async (config, logger) => {
  const app = await NestFactory.createApplicationContext(
    { module: WorkerRootModule, imports: [PlatformModule.forRoot(config, logger), WorkerModule] },
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  await app.init();
  let metrics: MetricsServer | undefined;
  if (config.METRICS_PORT !== undefined) {
    try {
      metrics = await startMetricsServer(app.get(AppMetrics), config.HOST, config.METRICS_PORT);
    } catch (error) {
      await app.close();
      throw error;
    }
  }
  // Nothing else may hold the event loop open (no HTTP server unless METRICS_PORT is set; no
  // subscription registered yet), and a worker must run until it is told to stop.
  const keepAlive = setInterval(() => undefined, 60_000);
  logger.info({ mode: config.mode, ...(metrics && { url: metrics.url }) }, 'worker running');
  return {
    close: async () => {
      clearInterval(keepAlive);
      await metrics?.close();
      await app.close();
    },
  };
});
