import {
  type AllStreamResolvedEvent,
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  KurrentDBClient,
  type RecordedEvent as KurrentRecordedEvent,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type {
  AppendRequest,
  AppendResult,
  EventFeed,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
} from '../event-store.port';
import { type ExpectedRevision, NO_STREAM_REVISION } from '../expected-revision';
import type { NewEvent, RecordedEvent } from '../recorded-event';
import { Upcasters } from '../upcasters';
import {
  acceptFromAll,
  type FilterPlan,
  isInvalidArgumentError,
  isUnsupportedError,
  mapBounded,
  planFilter,
  positionOf,
  toEventData,
  toPositionNumber,
  toReadPosition,
  toRecordedEvent,
  toStoreError,
  toStreamState,
} from './kurrentdb-mapping';

export type KurrentDbEventStoreOptions = Readonly<{
  upcasters?: Upcasters;
  /** Use the atomic multi-stream append of KurrentDB 25.1+ when the server has it. Default true. */
  multiStreamAppend?: boolean;
  /** Single appends in flight at once when appendToStreams cannot be atomic. Default 64. */
  appendConcurrency?: number;
}>;

const DEFAULT_READ_COUNT = 1000;
const DEFAULT_APPEND_CONCURRENCY = 64;
/** A page worth a round trip when the client filters out part of what the server sends. */
const MIN_SCAN_PAGE = 500;

type MultiStreamSupport = 'yes' | 'no' | 'unknown';

/**
 * The EventStore port on EventStoreDB / KurrentDB. Positions are commit positions, see docs/eventstoredb.md
 * for why that is safe and what appendToStreams guarantees on servers without multi-stream append.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly upcasters: Upcasters;
  private readonly appendConcurrency: number;
  private readonly feeds = new Set<KurrentDbEventFeed>();
  private multiStream: MultiStreamSupport;
  private closed = false;

  /** Opens a client (e.g. `kurrentdb://localhost:2113?tls=false`) and learns whether the server appends to many streams atomically. */
  static async connect(connectionString: string, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    const store = new KurrentDbEventStore(KurrentDBClient.connectionString(connectionString), options);
    await store.probeMultiStreamAppend();
    return store;
  }

  constructor(
    readonly client: KurrentDBClient,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.upcasters = options.upcasters ?? new Upcasters();
    this.appendConcurrency = options.appendConcurrency ?? DEFAULT_APPEND_CONCURRENCY;
    this.multiStream = options.multiStreamAppend === false ? 'no' : 'unknown';
  }

  /** False until the server has been seen to support it; an unreachable server at connect leaves it false until the first fan-out. */
  get atomicMultiStreamAppend(): boolean {
    return this.multiStream === 'yes';
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new Error(`Append to ${streamId} has no events`);
    const expected = options.expectedRevision ?? 'any';
    let result;
    try {
      result = await this.client.appendToStream(
        streamId,
        events.map((event) => toEventData(event)),
        { streamState: toStreamState(expected) },
      );
    } catch (error) {
      throw toStoreError(error, streamId, expected);
    }
    const commit = result.position?.commit;
    // An idempotent repeat of an earlier append comes back without a position: take it from the stream.
    const position =
      commit !== undefined && commit <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(commit) : await this.lastPositionOf(streamId);
    return { streamId, nextExpectedRevision: Number(result.nextExpectedRevision), position };
  }

  async appendToStreams(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    this.assertOpen();
    assertAppendable(requests);
    if (requests.length === 0) return [];
    if (requests.length === 1) return [await this.appendRequest(requests[0])];
    if (this.multiStream !== 'no') {
      try {
        return await this.appendAtomically(requests);
      } catch (error) {
        if (!isUnsupportedError(error)) throw error;
        // Nothing was written: the client checks the server's features first, and a node without the RPC refuses it whole.
        this.multiStream = 'no';
      }
    }
    // Not atomic: a failure leaves the appends that finished before it written (docs/eventstoredb.md).
    return mapBounded(requests, this.appendConcurrency, (request) => this.appendRequest(request));
  }

  private appendRequest(request: AppendRequest): Promise<AppendResult> {
    return this.appendToStream(request.streamId, request.events, { expectedRevision: request.expectedRevision });
  }

  private async appendAtomically(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    let result;
    try {
      result = await this.client.multiStreamAppend(
        requests.map((request) => ({
          streamName: request.streamId,
          expectedState: toStreamState(request.expectedRevision),
          events: request.events.map((event) => toEventData(event, 'properties')),
        })),
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const refused = requests.find((request) => request.streamId === error.streamName);
      throw toStoreError(error, error.streamName, refused?.expectedRevision);
    }
    this.multiStream = 'yes';
    const revisions = new Map(result.responses.map((response) => [response.streamName, Number(response.revision)]));
    // The server reports one position for the whole append: that of its last event. All of it became
    // visible at once, so it serves every stream as "the position after which this write is readable".
    const position = toPositionNumber(result.position);
    return requests.map(({ streamId }) => {
      const nextExpectedRevision = revisions.get(streamId);
      if (nextExpectedRevision === undefined) throw new Error(`KurrentDB did not report the revision of ${streamId}`);
      return { streamId, nextExpectedRevision, position };
    });
  }

  /**
   * The client refuses a multi-stream append the server lacks before sending anything, so an empty
   * request is a safe question. A server that has it refuses the empty request itself.
   */
  private async probeMultiStreamAppend(): Promise<void> {
    if (this.multiStream === 'no') return;
    try {
      await this.client.multiStreamAppend([]);
      this.multiStream = 'yes';
    } catch (error) {
      if (isUnsupportedError(error)) this.multiStream = 'no';
      else if (isInvalidArgumentError(error)) this.multiStream = 'yes';
      // Anything else (server unreachable, access denied): leave it to the first real fan-out to find out.
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount <= 0) return [];
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
        maxCount: BigInt(maxCount),
      });
      for await (const resolved of read) if (resolved.event) events.push(this.decode(resolved.event));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async streamRevision(streamId: string): Promise<number> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last?.revision ?? NO_STREAM_REVISION;
  }

  private async lastPositionOf(streamId: string): Promise<number> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (!last) throw new Error(`${streamId} is empty right after an append to it`);
    return last.position;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? DEFAULT_READ_COUNT;
    const plan = planFilter(options.filter);
    if (maxCount <= 0 || plan.matchesNothing) return [];
    const events: RecordedEvent[] = [];
    let cursor = options.after ?? 0;
    for (;;) {
      const page = await this.readPage(cursor, maxCount - events.length, plan);
      events.push(...page.events);
      if (page.reachedEnd || events.length >= maxCount || page.scannedTo === cursor) return events;
      cursor = page.scannedTo;
    }
  }

  /** One read of $all after `after`; the client side may drop some of it, so say how far it got. */
  private async readPage(
    after: number,
    wanted: number,
    plan: FilterPlan,
  ): Promise<{ events: RecordedEvent[]; scannedTo: number; reachedEnd: boolean }> {
    // One more than wanted, because a read from a position includes the event at that position.
    const pageSize = plan.serverIsExact ? wanted + 1 : Math.max(wanted + 1, MIN_SCAN_PAGE);
    const events: RecordedEvent[] = [];
    let received = 0;
    let scannedTo = after;
    for await (const resolved of this.client.readAll({
      fromPosition: toReadPosition(after),
      maxCount: pageSize,
      filter: plan.server,
    })) {
      received += 1;
      scannedTo = Math.max(scannedTo, positionOf(resolved) ?? scannedTo);
      const accepted = acceptFromAll(resolved, after, plan);
      if (accepted && events.length < wanted) events.push(this.decode(accepted.event));
    }
    return { events, scannedTo, reachedEnd: received < pageSize };
  }

  /** The last event that is not a system event: the same events readAll and subscribe deliver. */
  async headPosition(): Promise<number> {
    this.assertOpen();
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, filter: excludeSystemEvents() });
    let head = 0;
    for await (const resolved of read) head = positionOf(resolved) ?? head;
    return head;
  }

  subscribe(options: SubscribeOptions): EventFeed {
    this.assertOpen();
    const plan = planFilter(options.filter);
    const batchSize = options.batchSize ?? DEFAULT_READ_COUNT;
    const feed = new KurrentDbEventFeed({
      after: options.after,
      batchSize,
      plan,
      open: () =>
        this.client.subscribeToAll(
          { fromPosition: toReadPosition(options.after), filter: plan.server },
          { highWaterMark: batchSize },
        ),
      decode: (event) => this.decode(event),
      onClose: (closed) => this.feeds.delete(closed),
    });
    this.feeds.add(feed);
    return feed;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    for await (const _ of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      // Reaching the server is the point; the event itself is not needed.
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.feeds].map((feed) => feed.close()));
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }

  private decode(event: KurrentRecordedEvent): RecordedEvent {
    const recorded = toRecordedEvent(event);
    return this.upcasters.isEmpty ? recorded : this.upcasters.apply(recorded);
  }
}

/** The server refuses a stream twice in one multi-stream append; refusing it on every path keeps the paths alike. */
const assertAppendable = (requests: readonly AppendRequest[]): void => {
  const streams = new Set<string>();
  for (const { streamId, events } of requests) {
    if (events.length === 0) throw new Error(`Append to ${streamId} has no events`);
    if (streams.has(streamId)) throw new Error(`Stream ${streamId} appears twice in one appendToStreams call; merge its events`);
    streams.add(streamId);
  }
};

/** The part of the client's subscription the feed uses: an object-mode Readable that can be cancelled. */
export interface SubscriptionSource {
  read(): unknown;
  on(event: 'readable' | 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  unsubscribe(): Promise<void>;
}

export type KurrentDbEventFeedOptions = Readonly<{
  after: number;
  batchSize: number;
  plan: FilterPlan;
  open: () => SubscriptionSource;
  decode: (event: KurrentRecordedEvent) => RecordedEvent;
  onClose?: (feed: KurrentDbEventFeed) => void;
}>;

/**
 * A catch-up subscription to $all as batches: each batch is what the subscription has buffered, up to
 * batchSize, so a busy feed hands over full batches and a quiet one hands over each event as it comes.
 */
export class KurrentDbEventFeed implements EventFeed {
  private source: SubscriptionSource | undefined;
  private cursor: number;
  private closed = false;
  private ended = false;
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
    // These listeners stay for the life of the source: a late error with no listener would crash the process.
    source.on('readable', notify);
    source.on('end', () => {
      this.ended = true;
      notify();
    });
    source.on('close', () => {
      this.ended = true;
      notify();
    });
    source.on('error', (error) => {
      this.failure ??= error;
      notify();
    });
    return source;
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
      // Checkpoint messages never reach here: the client reports them through a callback this feed does not set.
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
