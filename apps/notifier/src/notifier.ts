import { type MessagePublisher, parseReminderMessage, type ReminderMessage } from '@app/messaging';
import type { Logger } from 'pino';
import type { DeliveredStore } from './delivered-store';
import { type Delivery, DeliveryError } from './delivery';
import type { HandleOutcome, InboundRecord, ReminderSource } from './reminder-source';

export type NotifierOptions = Readonly<{
  source: ReminderSource;
  deliver: Delivery;
  store: DeliveredStore;
  deadLetters: MessagePublisher;
  deadLetterTopic: string;
  logger: Logger;
  /** Delivery attempts per message before it goes to the dead-letter topic. */
  maxAttempts: number;
  /** Waits between attempts: initialMs, doubling, at most maxMs. */
  backoff?: Readonly<{ initialMs: number; maxMs: number }>;
  clock?: () => Date;
}>;

/** Headers a dead-lettered message carries besides its own. */
export const DLQ_HEADERS = {
  error: 'dlq-error',
  attempts: 'dlq-attempts',
  origin: 'dlq-origin',
  failedAt: 'dlq-failed-at',
} as const;

/**
 * Turns each reminder into one delivery: parse, skip if already settled, deliver with retries,
 * and dead-letter what cannot be delivered. A record is settled only once its outcome is stored,
 * so the source commits its offset after that and never before.
 */
export class Notifier {
  private readonly stopping = new AbortController();
  private readonly backoff: Readonly<{ initialMs: number; maxMs: number }>;
  private readonly clock: () => Date;

  constructor(private readonly options: NotifierOptions) {
    this.backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    this.clock = options.clock ?? (() => new Date());
  }

  start(): Promise<void> {
    return this.options.source.start((record, heartbeat) => this.handle(record, heartbeat));
  }

  /** Cuts short any wait between attempts (a request in flight runs to its end), then leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.options.source.stop();
  }

  async handle(record: InboundRecord, heartbeat: () => Promise<void> = async () => undefined): Promise<HandleOutcome> {
    const { store, logger } = this.options;
    if (this.stopping.signal.aborted) return 'abandoned'; // no new work once stopping
    let message: ReminderMessage;
    try {
      message = parseReminderMessage(record.value ?? '');
    } catch (error) {
      return this.deadLetter(record, `unparseable: ${(error as Error).message}`, 0);
    }
    const log = logger.child({ messageId: message.messageId, kind: message.kind });
    if (store.has(message.messageId)) {
      log.info('already settled; skipped');
      return 'settled';
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.options.deliver(message);
      } catch (error) {
        const reason = (error as Error).message;
        const permanent = error instanceof DeliveryError && error.permanent;
        if (permanent || attempt >= this.options.maxAttempts) {
          log.error({ attempt, reason, permanent }, 'delivery failed; dead-lettering');
          return this.deadLetter(record, reason, attempt, message.messageId);
        }
        log.warn({ attempt, reason }, 'delivery failed; will retry');
        if (!(await this.pause(attempt))) return 'abandoned';
        await heartbeat().catch((err: unknown) => log.warn({ err }, 'heartbeat failed'));
        continue;
      }
      store.record(message.messageId, 'delivered', this.clock());
      log.info({ attempt }, 'delivered');
      return 'settled';
    }
  }

  /** Publishes the original record with the reason to the dead-letter topic, trying until it is taken. */
  private async deadLetter(record: InboundRecord, reason: string, attempts: number, messageId?: string): Promise<HandleOutcome> {
    const headers = {
      ...record.headers,
      [DLQ_HEADERS.error]: reason.slice(0, 1_000),
      [DLQ_HEADERS.attempts]: String(attempts),
      [DLQ_HEADERS.origin]: `${record.topic}/${record.partition}/${record.offset}`,
      [DLQ_HEADERS.failedAt]: this.clock().toISOString(),
    };
    const dead = { topic: this.options.deadLetterTopic, key: record.key ?? messageId ?? '', value: record.value ?? '', headers };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.options.deadLetters.publish([dead]);
        break;
      } catch (err) {
        this.options.logger.error({ err, origin: headers[DLQ_HEADERS.origin] }, 'dead-letter publish failed; will retry');
        if (!(await this.pause(attempt))) return 'abandoned';
      }
    }
    if (messageId) this.options.store.record(messageId, 'dead-lettered', this.clock());
    this.options.logger.warn({ messageId, origin: headers[DLQ_HEADERS.origin], reason }, 'dead-lettered');
    return 'settled';
  }

  /** Waits before the next attempt; false when the notifier is stopping. */
  private pause(attempt: number): Promise<boolean> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve(false);
    const ms = Math.min(this.backoff.initialMs * 2 ** (attempt - 1), this.backoff.maxMs);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', done);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
