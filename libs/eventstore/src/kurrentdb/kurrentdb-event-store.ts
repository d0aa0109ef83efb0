import {
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
import { KurrentDbEventFeed } from './kurrentdb-event-feed';
import {
  acceptFromAll,
  type FilterPlan,
  isInvalidArgumentError,
  isUnsupportedError,
  mapBounded,
  planFilter,
  positionOf,
  reportedPosition,
  toEventData,
  toReadPosition,
  toRecordedEvent,
  toStoreError,
  toStreamState,
} from './kurrentdb-mapping';
import {
  DEFAULT_RETRY_POLICY,
  isTransient,
  mayRepeatAppend,
  type RetryPolicy,
  withRetry,
  withTimeout,
} from './kurrentdb-resilience';

export { KurrentDbEventFeed, type KurrentDbEventFeedOptions, type SubscriptionSource } from './kurrentdb-event-feed';

/** The part of the client the adapter uses: what a test double has to provide. */
export type KurrentDbClient = Pick<
  KurrentDBClient,
  'appendToStream' | 'multiStreamAppend' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export type KurrentDbEventStoreOptions = Readonly<{
  upcasters?: Upcasters;
  /** Use the atomic multi-stream append of KurrentDB 25.1+ when the server has it. Default true. */
  multiStreamAppend?: boolean;
  /** Single appends in flight at once when appendToStreams cannot be atomic. Default 64. */
  appendConcurrency?: number;
  /** How calls that fail for a passing reason are repeated (docs/eventstoredb.md). Default: 4 retries, 200 ms to 1.6 s apart. */
  retry?: Partial<RetryPolicy>;
  /** An append the client has not answered by then fails as "outcome unknown". Default 30 s; Infinity: no bound. */
  appendTimeoutMs?: number;
  /** A subscription the server has neither confirmed nor fed by then fails, to be restarted. Default 30 s. */
  subscriptionConfirmTimeoutMs?: number;
}>;

const DEFAULT_READ_COUNT = 1000;
const DEFAULT_APPEND_CONCURRENCY = 64;
const DEFAULT_APPEND_TIMEOUT_MS = 30_000;
const DEFAULT_CONFIRM_TIMEOUT_MS = 30_000;
/** A page worth a round trip when the client filters out part of what the server sends. */
const MIN_SCAN_PAGE = 500;

type MultiStreamSupport = 'yes' | 'no' | 'unknown';

/**
 * The EventStore port on EventStoreDB / KurrentDB. Positions are commit positions, see docs/eventstoredb.md
 * for why that is safe, what appendToStreams guarantees on servers without multi-stream append, and
 * which failed calls are repeated.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly upcasters: Upcasters;
  private readonly appendConcurrency: number;
  private readonly retry: RetryPolicy;
  private readonly appendTimeoutMs: number;
  private readonly confirmTimeoutMs: number;
  private readonly feeds = new Set<KurrentDbEventFeed>();
  private multiStream: MultiStreamSupport;
  private closed = false;

  /** Opens a client (e.g. `kurrentdb://localhost:2113?tls=false`) and learns whether the server appends to many streams atomically. */
  static async connect(connectionString: string, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    return KurrentDbEventStore.over(KurrentDBClient.connectionString(connectionString), options);
  }

  /** The same over a client made elsewhere (or a test double). */
  static async over(client: KurrentDbClient, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    const store = new KurrentDbEventStore(client, options);
    await store.probeMultiStreamAppend();
    return store;
  }

  constructor(
    readonly client: KurrentDbClient,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.upcasters = options.upcasters ?? new Upcasters();
    this.appendConcurrency = options.appendConcurrency ?? DEFAULT_APPEND_CONCURRENCY;
    this.multiStream = options.multiStreamAppend === false ? 'no' : 'unknown';
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.appendTimeoutMs = options.appendTimeoutMs ?? DEFAULT_APPEND_TIMEOUT_MS;
    this.confirmTimeoutMs = options.subscriptionConfirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
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
    const data = events.map((event) => toEventData(event));
    const streamState = toStreamState(expected);
    let result;
    try {
      result = await withRetry(
        this.retry,
        () =>
          withTimeout(
            this.client.appendToStream(streamId, data, { streamState }),
            this.appendTimeoutMs,
            `the append to ${streamId}`,
          ),
        (error) => mayRepeatAppend(error, [expected]),
      );
    } catch (error) {
      throw toStoreError(error, streamId, expected);
    }
    // An idempotent repeat of an earlier append may come back without a position: take it from the stream.
    const position = reportedPosition(result.position?.commit) ?? (await this.lastPositionOf(streamId));
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
    return this.appendOneByOne(requests);
  }

  /**
   * Not atomic: a failure leaves the appends that finished before it written (docs/eventstoredb.md). The
   * last request is started only once all the others are written, so a caller that keeps its record of
   * the whole write in the last stream (the command handler does) can tell a finished write from a torn one.
   */
  private async appendOneByOne(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    const others = await mapBounded(requests.slice(0, -1), this.appendConcurrency, (request) => this.appendRequest(request));
    return [...others, await this.appendRequest(requests[requests.length - 1])];
  }

  private appendRequest(request: AppendRequest): Promise<AppendResult> {
    return this.appendToStream(request.streamId, request.events, { expectedRevision: request.expectedRevision });
  }

  private async appendAtomically(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    const streams = requests.map((request) => ({
      streamName: request.streamId,
      expectedState: toStreamState(request.expectedRevision),
      events: request.events.map((event) => toEventData(event, 'properties')),
    }));
    let result;
    try {
      result = await withRetry(
        this.retry,
        () => withTimeout(this.client.multiStreamAppend(streams), this.appendTimeoutMs, 'a multi-stream append'),
        (error) =>
          mayRepeatAppend(
            error,
            requests.map((r) => r.expectedRevision),
          ),
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const refused = requests.find((request) => request.streamId === error.streamName);
      throw toStoreError(error, error.streamName, refused?.expectedRevision);
    }
    this.multiStream = 'yes';
    const revisions = new Map(result.responses.map((response) => [response.streamName, Number(response.revision)]));
    // The server reports one position for the whole append. All of it became visible at once, so it serves
    // every stream as "the position after which this write is readable". A repeat may not report one.
    const position = reportedPosition(result.position) ?? (await this.lastPositionOf(requests[requests.length - 1].streamId));
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

  /** Reads change nothing, so a read cut off by a passing failure is simply read again. */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount <= 0) return [];
    const backwards = options.direction === 'backwards';
    const read = async (): Promise<RecordedEvent[]> => {
      const events: RecordedEvent[] = [];
      try {
        for await (const resolved of this.client.readStream(streamId, {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
          maxCount: BigInt(maxCount),
        })) {
          if (resolved.event) events.push(this.decode(resolved.event));
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
      return events;
    };
    return withRetry(this.retry, read, isTransient);
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

  /**
   * The server filters $all on one thing (event type or stream name) but still reads the log from `after`
   * to the next match: a filtered read costs the part of the log it passes over, not just what it returns.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? DEFAULT_READ_COUNT;
    const plan = planFilter(options.filter);
    if (maxCount <= 0 || plan.matchesNothing) return [];
    const events: RecordedEvent[] = [];
    let cursor = options.after ?? 0;
    for (;;) {
      const after = cursor;
      const page = await withRetry(this.retry, () => this.readPage(after, maxCount - events.length, plan), isTransient);
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
    const read = async (): Promise<number> => {
      let head = 0;
      for await (const resolved of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 1,
        filter: excludeSystemEvents(),
      })) {
        head = positionOf(resolved) ?? head;
      }
      return head;
    };
    return withRetry(this.retry, read, isTransient);
  }

  /**
   * A server-side filtered catch-up subscription to $all from `after`. A failure fails the feed; the
   * subscription runner restarts it from its checkpoint after a growing pause.
   */
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
      confirmTimeoutMs: this.confirmTimeoutMs,
      onClose: (closed) => this.feeds.delete(closed),
    });
    this.feeds.add(feed);
    return feed;
  }

  /** A readiness probe reports what it finds: no retries. */
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
