import pino from 'pino';
import { loadNotifierConfig, type NotifierConfig, NotifierConfigError } from './notifier.config';
import { startNotifier } from './notifier.app';

/**
 * The reference consumer of `<prefix>.reminders`: delivers each reminder to a webhook (or a log
 * line) once, dead-letters what it cannot deliver. Configuration: docs/notifier.md.
 */
const main = (): void => {
  let config: NotifierConfig;
  try {
    config = loadNotifierConfig(process.env);
  } catch (error) {
    if (!(error instanceof NotifierConfigError)) throw error;
    process.stderr.write(`notifier: ${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = pino(
    { level: config.logLevel, base: { service: 'vwu-notifier' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 1, sync: true }),
  );
  const started = startNotifier(config, logger);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'notifier shutting down');
    started
      .then((running) => running.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  started.then(
    (running) =>
      running.crashed.catch((error: unknown) => {
        logger.fatal({ err: error }, 'the consumer crashed');
        process.exit(1);
      }),
    (error: unknown) => {
      logger.fatal({ err: error }, 'notifier failed to start');
      process.exit(1);
    },
  );
};

main();
