import { EventEmitter } from 'node:events';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../event-store.errors';
import type {
  AppendRequest,
  AppendResult,
  EventFeed,
  EventFilter,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
} from '../event-store.port';
import { type ExpectedRevision, NO_STREAM_REVISION, revisionMatches } from '../expected-revision';
import { PollingEventFeed } from '../polling-event-feed';
import type { NewEvent, RecordedEvent } from '../recorded-event';
import { categoryOf } from '../stream-id';
import { Upcasters } from '../upcasters';

/** For unit tests only. It passes the same contract suite as the real adapters. */
export class InMemoryEventStore implements EventStore {
  readonly atomicMultiStreamAppend = true;
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly ids = new Set<string>();
  private readonly appended = new EventEmitter();
  private closed = false;

  constructor(
    private readonly now: () => number = () => 0,
    private readonly upcasters = new Upcasters(),
  ) {
    this.appended.setMaxListeners(0);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    return (await this.appendToStreams([{ streamId, events, expectedRevision: options.expectedRevision }]))[0];
  }

  async appendToStreams(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    this.assertOpen();
    // Check everything first so that a refused call writes nothing.
    const seen = new Set<string>();
    for (const { streamId, events, expectedRevision = 'any' } of requests) {
      if (events.length === 0) throw new Error(`Append to ${streamId} has no events`);
      const actual = (this.streams.get(streamId)?.length ?? 0) - 1;
      if (!revisionMatches(expectedRevision, actual)) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
      for (const { id } of events) {
        if (this.ids.has(id) || seen.has(id)) throw new DuplicateEventIdError(id);
        seen.add(id);
      }
    }
    const results = requests.map(({ streamId, events }) => {
      const stream = this.streams.get(streamId) ?? [];
      this.streams.set(streamId, stream);
      for (const event of events) {
        const recorded: RecordedEvent = {
          id: event.id,
          streamId,
          revision: stream.length,
          position: this.log.length + 1,
          type: event.type,
          data: structuredClone(event.data) as Record<string, unknown>,
          metadata: structuredClone(event.metadata),
          recordedAt: this.now(),
        };
        stream.push(recorded);
        this.log.push(recorded);
        this.ids.add(event.id);
      }
      return { streamId, nextExpectedRevision: stream.length - 1, position: this.log.length };
    });
    this.appended.emit('appended');
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const stream = this.streams.get(streamId) ?? [];
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === 'backwards') {
      const from = Math.min(options.fromRevision ?? stream.length - 1, stream.length - 1);
      return this.upcast(stream.slice(Math.max(0, from - maxCount + 1), from + 1).reverse());
    }
    const from = options.fromRevision ?? 0;
    return this.upcast(stream.slice(from, from + maxCount));
  }

  async streamRevision(streamId: string): Promise<number> {
    const stream = this.streams.get(streamId);
    return stream ? stream.length - 1 : NO_STREAM_REVISION;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readRange(options.after ?? 0, this.log.length, options.maxCount ?? 1000, options.filter);
  }

  private readRange(after: number, upTo: number, maxCount: number, filter?: EventFilter): RecordedEvent[] {
    const out: RecordedEvent[] = [];
    for (let i = after; i < upTo && out.length < maxCount; i++) {
      const event = this.log[i];
      if (matches(event, filter)) out.push(event);
    }
    return this.upcast(out);
  }

  private upcast(events: RecordedEvent[]): RecordedEvent[] {
    return this.upcasters.isEmpty ? events : events.map((e) => this.upcasters.apply(e));
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  subscribe(options: SubscribeOptions): EventFeed {
    const batchSize = options.batchSize ?? 1000;
    return new PollingEventFeed({
      after: options.after,
      pollIntervalMs: 50,
      changes: this.appended,
      isClosed: () => this.closed,
      read: async (after) => {
        const upTo = this.log.length;
        const events = this.readRange(after, upTo, batchSize, options.filter);
        return { events, scannedTo: events.length < batchSize ? upTo : events[events.length - 1].position };
      },
    });
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.appended.emit('appended');
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }
}

const matches = (event: RecordedEvent, filter?: EventFilter): boolean =>
  (!filter?.eventTypes || filter.eventTypes.includes(event.type)) &&
  (!filter?.categories || filter.categories.includes(categoryOf(event.streamId)));
