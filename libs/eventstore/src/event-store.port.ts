import type { ExpectedRevision } from './expected-revision';
import type { NewEvent, RecordedEvent } from './recorded-event';

export type AppendResult = Readonly<{
  streamId: string;
  /** Revision of the last event now in the stream: pass it as the next expected revision. */
  nextExpectedRevision: number;
  /** Global position of the last event written. */
  position: number;
}>;

export type AppendRequest = Readonly<{
  streamId: string;
  events: readonly NewEvent[];
  expectedRevision?: ExpectedRevision;
}>;

export type ReadStreamOptions = Readonly<{
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number;
  maxCount?: number;
}>;

/** Either list may be given; an event passes when it matches every list given. */
export type EventFilter = Readonly<{
  eventTypes?: readonly string[];
  /** Stream categories: `report` matches `report-…` streams. */
  categories?: readonly string[];
}>;

export type ReadAllOptions = Readonly<{
  /** Exclusive: events strictly after this position. 0 (the default) reads from the start. */
  after?: number;
  maxCount?: number;
  filter?: EventFilter;
}>;

export type SubscribeOptions = Readonly<{
  /** Exclusive: the position of the last event already processed. */
  after: number;
  filter?: EventFilter;
  /** The most events handed over at once. */
  batchSize?: number;
}>;

/**
 * A live feed of batches in global order: first everything after `after`, then new events as they are appended.
 * It ends when `close()` is called or the store closes.
 */
export interface EventFeed extends AsyncIterable<readonly RecordedEvent[]> {
  close(): Promise<void>;
}

/** The port every event-store adapter implements (SQLite, KurrentDB, in-memory). */
export interface EventStore {
  /** Appends atomically. Raises WrongExpectedRevisionError on mismatch; then nothing is written. */
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;

  /**
   * Appends to many streams in one call, the fan-out path. Adapters that can, do it atomically;
   * `atomicMultiStreamAppend` says whether this one does. One that cannot writes the last request only
   * once every other one is written, so the last stream can hold the record of the whole write.
   */
  appendToStreams(requests: readonly AppendRequest[]): Promise<AppendResult[]>;
  readonly atomicMultiStreamAppend: boolean;

  /** Returns [] for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Revision of the stream's last event, or -1 when there is none. */
  streamRevision(streamId: string): Promise<number>;

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** Position of the last event in the global log (0 when empty). */
  headPosition(): Promise<number>;

  subscribe(options: SubscribeOptions): EventFeed;

  /** Cheap readiness probe. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
