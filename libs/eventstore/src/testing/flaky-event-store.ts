import type {
  AppendRequest,
  AppendResult,
  EventFeed,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
} from '../event-store.port';
import type { ExpectedRevision } from '../expected-revision';
import type { NewEvent, RecordedEvent } from '../recorded-event';

/** Delegates to a real store; append call number `failAt` fails, before or after the write reaches the store. */
export class FlakyEventStore implements EventStore {
  appends = 0;
  multiAppends = 0;
  constructor(
    private readonly inner: EventStore,
    private readonly failAt: number,
    private readonly when: 'before-write' | 'after-write',
    readonly atomicMultiStreamAppend = inner.atomicMultiStreamAppend,
  ) {}

  private async counted<T>(write: () => Promise<T>): Promise<T> {
    this.appends++;
    if (this.appends === this.failAt && this.when === 'before-write') throw new Error('connection lost');
    const result = await write();
    if (this.appends === this.failAt && this.when === 'after-write') throw new Error('connection lost before the answer');
    return result;
  }
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> {
    return this.counted(() => this.inner.appendToStream(streamId, events, options));
  }
  appendToStreams(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    if (!this.atomicMultiStreamAppend) throw new Error('a non-atomic target must not be given multi-stream appends');
    this.multiAppends++;
    return this.counted(() => this.inner.appendToStreams(requests));
  }
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }
  streamRevision(streamId: string): Promise<number> {
    return this.inner.streamRevision(streamId);
  }
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }
  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }
  subscribe(options: SubscribeOptions): EventFeed {
    return this.inner.subscribe(options);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
