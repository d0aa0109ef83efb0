import type { Logger } from 'pino';
import type { Delivery } from './delivery';

/** For development: one JSON log line per delivery instead of a request. */
export const logDelivery =
  (logger: Logger): Delivery =>
  async (message) => {
    logger.info({ delivery: message }, 'reminder delivered (log mode)');
  };
