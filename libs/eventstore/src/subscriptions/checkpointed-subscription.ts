import type { EventFeed, EventFilter, EventStore } from '../event-store.port';
import type { RecordedEvent } from '../recorded-event';
import type { CheckpointStore } from './checkpoint-store';

export type SubscriptionOptions = Readonly<{
  name: string;
  store: EventStore;
  checkpoints: CheckpointStore;
  filter?: EventFilter;
  batchSize?: number;
  /**
   * Processes one batch. When `handlerStoresCheckpoint` is true the handler must store the
   * batch's last position itself, in the same transaction as its writes (projections do).
   * Otherwise the runner stores it after the handler returns (at-least-once, e.g. a relay).
   */
  handle: (events: readonly RecordedEvent[]) => Promise<void>;
  handlerStoresCheckpoint?: boolean;
  /** Called when the handler or the store fails; the subscription then restarts from its checkpoint. */
  onError?: (error: unknown, attempt: number) => void;
  retryDelayMs?: (attempt: number) => number;
  /** Waits out a retry delay; `stop()` cuts it short. Tests pass one that records the delays asked for. */
  sleep?: (ms: number) => Promise<void>;
}>;

export type SubscriptionStatus = 'stopped' | 'running' | 'retrying';

/**
 * A catch-up subscription from a stored checkpoint. It hands each event over at least once, in
 * global order, then follows new events live. After any failure it starts again from the
 * checkpoint, so a crash between processing and checkpointing replays, never skips.
 */
export class CheckpointedSubscription {
  private feed: EventFeed | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private attempts = 0;
  private wakeRetry: (() => void) | undefined;
  status: SubscriptionStatus = 'stopped';
  /** Position of the last event processed. */
  position = 0;

  constructor(private readonly options: SubscriptionOptions) {}

  get name(): string {
    return this.options.name;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeRetry?.();
    await this.feed?.close();
    await this.loop;
    this.loop = undefined;
    this.status = 'stopped';
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        this.status = 'running';
        await this.consume();
        return;
      } catch (error) {
        this.attempts += 1;
        this.options.onError?.(error, this.attempts);
        await this.feed?.close().catch(() => undefined);
        if (this.stopping) return;
        this.status = 'retrying';
        await this.sleep(this.options.retryDelayMs?.(this.attempts) ?? Math.min(30_000, 100 * 2 ** this.attempts));
      }
    }
  }

  private async consume(): Promise<void> {
    const { store, checkpoints, name, filter, batchSize, handle, handlerStoresCheckpoint } = this.options;
    this.position = await checkpoints.load(name);
    // stop() may have run while the checkpoint was loading: it had no feed to close then.
    if (this.stopping) return;
    this.feed = store.subscribe({ after: this.position, filter, batchSize });
    for await (const batch of this.feed) {
      if (this.stopping) return;
      await handle(batch);
      const last = batch[batch.length - 1].position;
      if (!handlerStoresCheckpoint) await checkpoints.store(name, last);
      this.position = last;
      this.attempts = 0;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.options.sleep ? undefined : setTimeout(resolve, ms);
      this.options.sleep?.(ms).then(resolve, resolve);
      this.wakeRetry = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
