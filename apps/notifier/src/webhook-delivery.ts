import type { ReminderMessage } from '@app/messaging';
import { type Delivery, DeliveryError } from './delivery';

export type WebhookOptions = Readonly<{ url: string; timeoutMs: number }>;

/** 4xx means the receiver refused the request as it is, except "timed out" and "too many requests". */
const isPermanent = (status: number): boolean => status >= 400 && status < 500 && status !== 408 && status !== 429;

/**
 * POSTs the reminder as JSON. `Idempotency-Key` is the message id, so a receiver can drop a repeat
 * (the notifier sends one again only when it could not learn the outcome of the first).
 */
export const webhookDelivery =
  ({ url, timeoutMs }: WebhookOptions): Delivery =>
  async (message: ReminderMessage) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': message.messageId,
          'user-agent': 'vwu-notifier',
        },
        body: JSON.stringify(message),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : causeOf(error);
      throw new DeliveryError(`webhook request failed: ${cause}`, false);
    }
    // Read the answer to the end (up to the timeout), so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return;
    throw new DeliveryError(`webhook answered ${response.status} ${response.statusText}`.trim(), isPermanent(response.status));
  };

const causeOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
};
