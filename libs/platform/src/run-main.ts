import { type AppConfig, ConfigError, loadConfig } from '@app/config';
import type { Logger } from 'pino';
import { createLogger } from './logger';

type Closable = { close(): Promise<void> };

/**
 * Common start-up for every entry point: validate the configuration (a bad value stops the
 * process with a clear message), log as JSON, and close gracefully on SIGINT/SIGTERM.
 */
export const runMain = (name: string, start: (config: AppConfig, logger: Logger) => Promise<Closable>): void => {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${(error as ConfigError).message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  // Signal handlers go in before start-up, so a signal that arrives while the app is starting (or
  // right after it said it is ready) still shuts it down gracefully once it is up.
  const started = start(config, logger);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name} shutting down`);
    started
      .then((app) => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  started.catch((error: unknown) => {
    logger.fatal({ err: error }, `${name} failed to start`);
    process.exit(1);
  });
};
