import { type logCreator, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

/** The most verbose kafkajs level the pino logger would print, so kafkajs builds no line in vain. */
export const kafkaLogLevel = (logger: Logger): logLevel => {
  if (logger.isLevelEnabled('debug')) return logLevel.DEBUG;
  if (logger.isLevelEnabled('info')) return logLevel.INFO;
  if (logger.isLevelEnabled('warn')) return logLevel.WARN;
  if (logger.isLevelEnabled('error')) return logLevel.ERROR;
  return logLevel.NOTHING;
};

/**
 * Routes kafkajs' log lines to pino, so every line is JSON. Its fields go under `kafkajs`, where
 * none can collide with pino's own (`level`, `time`, `msg`).
 */
export const pinoLogCreator =
  (logger: Logger): logCreator =>
  () =>
  ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
    const context = { kafkajs: { namespace, ...fields } };
    switch (level) {
      case logLevel.ERROR:
        return logger.error(context, String(message));
      case logLevel.WARN:
        return logger.warn(context, String(message));
      case logLevel.INFO:
        return logger.info(context, String(message));
      case logLevel.DEBUG:
        return logger.debug(context, String(message));
      case logLevel.NOTHING:
        return;
    }
  };
