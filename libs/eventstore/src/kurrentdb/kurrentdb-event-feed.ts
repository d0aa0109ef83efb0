import type { AllStreamResolvedEvent, RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import type { EventFeed } from '../event-store.port';
import type { RecordedEvent } from '../recorded-event';
import { acceptFromAll, type FilterPlan } from './kurrentdb-mapping';

/** The part of the client's subscription the feed uses: an object-mode Readable that can be cancelled. */
export interface SubscriptionSource {
  read(): unknown;
  on(event: 'readable' | 'end' | 'close' | 'confirmation', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  unsubscribe(): Promise<void>;
}

/** The server neither confirmed the subscription nor sent an event in time. */
export class SubscriptionNotConfirmedError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`KurrentDB did not confirm the subscription within ${timeoutMs} ms`);
    this.name = 'SubscriptionNotConfirmedError';
  }
}

export type KurrentDbEventFeedOptions = Readonly<{
  after: number;
  batchSize: number;
  plan: FilterPlan;
  open: () => SubscriptionSource;
  decode: (event: KurrentRecordedEvent) => RecordedEvent;
  /** Fail when the server has neither confirmed nor sent anything by then. Infinity: wait for ever. */
  confirmTimeoutMs?: number;
  onClose?: (feed: KurrentDbEventFeed) => void;
}>;

/**
 * A catch-up subscription to $all as batches: each batch is what the subscription has buffered, up to
 * batchSize, so a busy feed hands over full batches and a quiet one hands over each event as it comes.
 *
 * It never retries by itself: a failed, ended or unconfirmed subscription fails the feed, and the
 * subscription runner starts again from its stored checkpoint after a growing pause. A connection that
 * dies without a word is found by gRPC keepalive (keepAliveInterval, keepAliveTimeout), which fails the
 * call; keepalive must therefore stay on (docs/eventstoredb.md).
 */
export class KurrentDbEventFeed implements EventFeed {
  private source: SubscriptionSource | undefined;
  private cursor: number;
  private closed = false;
  private ended = false;
  private confirmed = false;
  private confirmTimer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  private signalled = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: KurrentDbEventFeedOptions) {
    this.cursor = options.after;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<readonly RecordedEvent[]> {
    if (this.closed) return;
    if (this.source) throw new Error('A KurrentDB event feed can be iterated only once');
    const source = this.start();
    try {
      for (let batch = await this.nextBatch(source); batch; batch = await this.nextBatch(source)) yield batch;
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.confirmTimer);
    this.wake?.();
    this.options.onClose?.(this);
    await this.source?.unsubscribe().catch(() => undefined);
  }

  private start(): SubscriptionSource {
    const source = this.options.open();
    this.source = source;
    const notify = (): void => {
      this.signalled = true;
      this.wake?.();
    };
    const fail = (error: Error): void => {
      this.failure ??= error;
      notify();
    };
    // These listeners stay for the life of the source: a late error with no listener would crash the process.
    source.on('readable', notify);
    source.on('confirmation', () => this.confirm());
    source.on('end', () => {
      this.ended = true;
      notify();
    });
    source.on('close', () => {
      this.ended = true;
      notify();
    });
    source.on('error', fail);
    const timeoutMs = this.options.confirmTimeoutMs ?? Number.POSITIVE_INFINITY;
    if (Number.isFinite(timeoutMs)) {
      this.confirmTimer = setTimeout(() => {
        if (!this.confirmed) fail(new SubscriptionNotConfirmedError(timeoutMs));
      }, timeoutMs);
      this.confirmTimer.unref?.();
    }
    return source;
  }

  private confirm(): void {
    this.confirmed = true;
    clearTimeout(this.confirmTimer);
  }

  private async nextBatch(source: SubscriptionSource): Promise<RecordedEvent[] | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      this.signalled = false;
      const batch = this.drain(source);
      if (batch.length > 0) return batch;
      if (this.failure) throw this.failure;
      // The port's feed ends only on close(); a subscription the server ends is a failure to retry from the checkpoint.
      if (this.ended) throw new Error('The KurrentDB subscription ended unexpectedly');
      await this.waitForSignal();
    }
  }

  private drain(source: SubscriptionSource): RecordedEvent[] {
    const batch: RecordedEvent[] = [];
    while (batch.length < this.options.batchSize) {
      const item = source.read();
      if (item === null || item === undefined) break;
      this.confirm();
      // Checkpoint messages never reach here: the client reports them through a callback this adapter never sets.
      const accepted = acceptFromAll(item as AllStreamResolvedEvent, this.cursor, this.options.plan);
      if (!accepted) continue;
      this.cursor = accepted.position;
      batch.push(this.options.decode(accepted.event));
    }
    return batch;
  }

  private waitForSignal(): Promise<void> {
    if (this.signalled) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }
}
