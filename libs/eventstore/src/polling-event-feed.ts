import type { EventEmitter } from 'node:events';
import type { EventFeed } from './event-store.port';
import type { RecordedEvent } from './recorded-event';

export type FeedRead = (after: number) => Promise<{ events: RecordedEvent[]; scannedTo: number }>;

/**
 * A catch-up-then-live feed for stores that can only be read: it reads until it has caught up,
 * then waits for an in-process "appended" signal or the poll interval (for other processes' writes).
 */
export class PollingEventFeed implements EventFeed {
  private cursor: number;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly options: Readonly<{
      after: number;
      pollIntervalMs: number;
      /**
       * After an in-process append wakes the feed, wait this long before reading, so a burst of
       * appends reaches the subscriber as one batch (one transaction) instead of one each.
       */
      lingerMs?: number;
      read: FeedRead;
      changes: EventEmitter;
      isClosed: () => boolean;
    }>,
  ) {
    this.cursor = options.after;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<readonly RecordedEvent[]> {
    while (!this.isDone()) {
      const { events, scannedTo } = await this.options.read(this.cursor);
      if (this.isDone()) return;
      this.cursor = Math.max(this.cursor, scannedTo);
      if (events.length > 0) {
        yield events;
        continue;
      }
      await this.waitForChange();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
  }

  private isDone(): boolean {
    return this.closed || this.options.isClosed();
  }

  private waitForChange(): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout;
      const done = (): void => {
        clearTimeout(timer);
        this.options.changes.off('appended', appended);
        this.wake = undefined;
        resolve();
      };
      const appended = (): void => {
        const linger = this.options.lingerMs ?? 0;
        if (linger <= 0) return done();
        clearTimeout(timer);
        timer = setTimeout(done, linger);
      };
      timer = setTimeout(done, this.options.pollIntervalMs);
      this.options.changes.once('appended', appended);
      this.wake = done;
    });
  }
}
