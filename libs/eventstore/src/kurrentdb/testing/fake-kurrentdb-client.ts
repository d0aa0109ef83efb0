import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import {
  type AllStreamResolvedEvent,
  type AppendStreamRequest,
  type AppendStreamState,
  type EventData,
  type Filter,
  type KurrentDBClient,
  type MultiAppendResult,
  NO_STREAM,
  type ReadAllOptions,
  type ReadPosition,
  type ReadStreamOptions,
  type RecordedEvent as KurrentRecordedEvent,
  type ResolvedEvent,
  STREAM_EXISTS,
  StreamNotFoundError,
  type SubscribeToAllOptions,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type { KurrentDbClient } from '../kurrentdb-event-store';

/*
 * A stand-in for the KurrentDB server and client, for unit tests of the adapter. It keeps a log whose
 * positions behave as the server's do (checked against its AllReader and StorageWriterService): every
 * event of an implicit transaction (one append, or one multi-stream append) is a committed record of
 * its own, so on $all it has commit = prepare = its own log position; reads from a position include the
 * event there, subscriptions do not; server-side filters apply to event type or stream name. Calls can
 * be made to fail on cue, before or after writing, and subscriptions to break after some events.
 */

/** Roughly one small event record in the log: positions are byte offsets, not counters. */
const RECORD_SIZE = 137n;

export type SubscribeCall = Readonly<{ fromPosition: ReadPosition | undefined; filter: Filter | undefined }>;

/** How one subscription misbehaves: fails after so many events, or at once, or never confirms. */
export type SubscriptionScript = Readonly<{ failAfter?: number; error?: Error; silent?: boolean }>;

type AppendFault = Readonly<{ error: Error; written: boolean }> | 'hang';

/** An object-mode stream of resolved events, as the client's subscription is. */
export class FakeSubscription extends PassThrough {
  unsubscribed = false;
  /** Caught up with the log as it was when the server took the subscription: from then on, live. */
  started = false;
  delivered = 0;
  private broken = false;
  constructor(
    readonly call: SubscribeCall,
    private readonly script: SubscriptionScript,
  ) {
    super({ objectMode: true });
  }

  /** Pushes an event unless the script says the connection has broken by now. */
  deliver(resolved: AllStreamResolvedEvent): void {
    if (this.destroyed || this.writableEnded) return;
    if (this.broken) return;
    if (this.script.failAfter !== undefined && this.delivered >= this.script.failAfter) {
      // The connection drops after what was sent so far has reached the client.
      this.broken = true;
      setImmediate(() => this.destroy(this.script.error ?? new Error('connection lost')));
      return;
    }
    this.delivered += 1;
    this.write(resolved);
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    this.end();
  }
}

const isAfter = (position: { commit: bigint; prepare: bigint }, from: ReadPosition | undefined): boolean => {
  if (from === undefined || from === 'start') return true;
  if (from === 'end') return false;
  return position.commit > from.commit || (position.commit === from.commit && position.prepare > from.prepare);
};

const isAtOrAfter = (position: { commit: bigint; prepare: bigint }, from: ReadPosition | undefined): boolean =>
  isAfter(position, from) || (typeof from === 'object' && position.commit === from.commit && position.prepare === from.prepare);

/** What the server's filter lets through; without one, everything (system events included). */
export const serverFilterAllows = (filter: Filter | undefined, event: KurrentRecordedEvent): boolean => {
  if (!filter) return true;
  const subject = filter.filterOn === 'eventType' ? event.type : event.streamId;
  if ('prefixes' in filter) return filter.prefixes.some((prefix) => subject.startsWith(prefix));
  return new RegExp(filter.regex).test(subject);
};

export class FakeKurrentDbClient implements KurrentDbClient {
  readonly log: KurrentRecordedEvent[] = [];
  readonly subscribeCalls: SubscribeCall[] = [];
  readonly subscriptions: FakeSubscription[] = [];
  readonly readAllCalls: ReadAllOptions[] = [];
  appendCalls = 0;
  multiStreamAppendCalls = 0;
  supportsMultiStreamAppend = true;
  disposed = false;
  private next = 1000n;
  private readonly appendFaults: AppendFault[] = [];
  private readonly subscriptionScripts: SubscriptionScript[] = [];
  private readonly holds = new Map<string, Promise<void>>();
  private readonly readFaults: Error[] = [];

  // ---- scripting ----

  /** The next appends (single or multi-stream) fail with `error`, after writing when `written`, in order. */
  failAppends(...faults: AppendFault[]): this {
    this.appendFaults.push(...faults);
    return this;
  }

  /** The next reads (stream or $all) fail with these errors, in order, after yielding nothing. */
  failReads(...errors: Error[]): this {
    this.readFaults.push(...errors);
    return this;
  }

  /** Appends to this stream wait until the returned function is called: a slow node, or a slow stream. */
  holdAppendsTo(streamName: string): () => void {
    let release: () => void = () => undefined;
    this.holds.set(streamName, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(streamName);
      release();
    };
  }

  /** The next subscriptions follow these scripts, in order; later ones behave. */
  scriptSubscriptions(...scripts: SubscriptionScript[]): this {
    this.subscriptionScripts.push(...scripts);
    return this;
  }

  /** Where the next record will be written: what a buggy server (#4970) sent as a checkpoint. */
  get endOfLog(): bigint {
    return this.next;
  }

  /** Moves the end of the log on, as if much had been written: for positions near 2^53. */
  jumpTo(position: bigint): void {
    this.next = position;
  }

  /** Legacy TCP explicit transaction: the events share the commit record's position, with their own prepares. */
  writeExplicitTransaction(streamName: string, events: readonly EventData[]): void {
    const prepares = events.map(() => this.take());
    const commit = this.take();
    events.forEach((event, i) => this.record(streamName, event, { commit, prepare: prepares[i] }));
  }

  /** A record of the server's own ($stats, $> links): never handed over by the adapter. */
  writeSystemEvent(streamName: string, type: string): void {
    const position = this.take();
    this.record(streamName, { id: randomUUID(), type, contentType: 'application/json', data: {} } as EventData, {
      commit: position,
      prepare: position,
    });
  }

  // ---- the client surface ----

  async appendToStream(streamName: string, events: EventData | EventData[], options: { streamState?: AppendStreamState } = {}) {
    this.appendCalls += 1;
    const list = Array.isArray(events) ? events : [events];
    await this.holds.get(streamName);
    return this.faulty(() => this.appendOne(streamName, list, options.streamState ?? 'any'));
  }

  async multiStreamAppend(requests: AppendStreamRequest[]): Promise<MultiAppendResult> {
    this.multiStreamAppendCalls += 1;
    if (!this.supportsMultiStreamAppend) throw new UnsupportedError('multiStreamAppend', '25.1');
    if (requests.length === 0) throw Object.assign(new Error('no streams to append to'), { code: 3 });
    return this.faulty(() => {
      for (const request of requests) this.check(request.streamName, request.events, request.expectedState);
      const repeats = requests.map((r) => this.repeatOf(r.streamName, r.events, r.expectedState));
      if (repeats.every((revision) => revision !== undefined)) {
        return {
          position: -1n,
          responses: requests.map((r, i) => ({ streamName: r.streamName, revision: repeats[i] as bigint })),
        };
      }
      const responses = requests.map((r) => ({ streamName: r.streamName, revision: this.write(r.streamName, r.events) }));
      return { position: this.next - RECORD_SIZE, responses };
    });
  }

  readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterableIterator<ResolvedEvent> {
    const stream = this.log.filter((e) => e.streamId === streamName);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const ordered = backwards ? [...stream].reverse() : stream;
    const selected = ordered
      .filter((e) => (typeof from !== 'bigint' ? true : backwards ? e.revision <= from : e.revision >= from))
      .slice(0, max);
    const fault = this.readFaults.shift();
    return (async function* () {
      if (fault) throw fault;
      if (stream.length === 0) throw new StreamNotFoundError(undefined, streamName);
      for (const event of selected) yield { event } as ResolvedEvent;
    })();
  }

  readAll(options: ReadAllOptions = {}): AsyncIterableIterator<AllStreamResolvedEvent> {
    this.readAllCalls.push(options);
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const allowed = this.log.filter((e) => serverFilterAllows(options.filter, e));
    const selected =
      options.direction === 'backwards'
        ? [...allowed].reverse().slice(0, max)
        : allowed.filter((e) => isAtOrAfter(e.position!, options.fromPosition)).slice(0, max);
    const fault = this.readFaults.shift();
    return (async function* () {
      if (fault) throw fault;
      for (const event of selected) yield { event, commitPosition: event.position!.commit } as AllStreamResolvedEvent;
    })();
  }

  subscribeToAll(options: SubscribeToAllOptions = {}) {
    const call = { fromPosition: options.fromPosition, filter: options.filter };
    this.subscribeCalls.push(call);
    const script = this.subscriptionScripts.shift() ?? {};
    const subscription = new FakeSubscription(call, script);
    this.subscriptions.push(subscription);
    setImmediate(() => {
      if (script.failAfter === 0) {
        subscription.destroy(script.error ?? new Error('connection lost'));
        return;
      }
      if (!script.silent) subscription.emit('confirmation');
      subscription.started = true;
      for (const event of this.log) this.offer(subscription, event);
    });
    return subscription as unknown as ReturnType<KurrentDBClient['subscribeToAll']>;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.end();
  }

  // ---- the server ----

  private async faulty<T>(run: () => T): Promise<T> {
    const fault = this.appendFaults.shift();
    if (fault === 'hang') return new Promise<T>(() => undefined);
    if (fault && !fault.written) throw fault.error;
    const result = run();
    if (fault) throw fault.error;
    return result;
  }

  private appendOne(streamName: string, events: readonly EventData[], state: AppendStreamState) {
    this.check(streamName, events, state);
    const repeat = this.repeatOf(streamName, events, state);
    // An idempotent repeat: success, nothing written, and (as some server versions do) no position.
    if (repeat !== undefined) return { success: true, nextExpectedRevision: repeat, position: undefined };
    const nextExpectedRevision = this.write(streamName, events);
    const last = this.next - RECORD_SIZE;
    return { success: true, nextExpectedRevision, position: { commit: last, prepare: last } };
  }

  private revisionOf(streamName: string): bigint {
    return BigInt(this.log.filter((e) => e.streamId === streamName).length) - 1n;
  }

  /** The revision the same events already end at, when this exact append landed before at this place. */
  private repeatOf(streamName: string, events: readonly EventData[], state: AppendStreamState): bigint | undefined {
    if (state !== NO_STREAM && typeof state !== 'bigint') return undefined;
    const start = state === NO_STREAM ? 0 : Number(state) + 1;
    const stream = this.log.filter((e) => e.streamId === streamName);
    const same = events.every((event, i) => stream[start + i]?.id === event.id);
    return stream.length > start && same ? BigInt(start + events.length - 1) : undefined;
  }

  private check(streamName: string, events: readonly EventData[], state: AppendStreamState): void {
    if (this.repeatOf(streamName, events, state) !== undefined) return;
    const current = this.revisionOf(streamName);
    const ok =
      state === 'any' ||
      (state === NO_STREAM && current === -1n) ||
      (state === STREAM_EXISTS && current >= 0n) ||
      (typeof state === 'bigint' && state === current);
    if (!ok) {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected: state as bigint,
        current: current < 0n ? NO_STREAM : current,
      });
    }
  }

  private write(streamName: string, events: readonly EventData[]): bigint {
    for (const event of events) {
      const position = this.take();
      this.record(streamName, event, { commit: position, prepare: position });
    }
    return this.revisionOf(streamName);
  }

  private take(): bigint {
    const position = this.next;
    this.next += RECORD_SIZE;
    return position;
  }

  private record(streamName: string, event: EventData, position: { commit: bigint; prepare: bigint }): void {
    const recorded = {
      streamId: streamName,
      id: event.id,
      revision: this.revisionOf(streamName) + 1n,
      type: event.type,
      isJson: true,
      created: new Date(1_768_446_000_000),
      data: event.data,
      metadata: event.metadata,
      position,
    } as KurrentRecordedEvent;
    this.log.push(recorded);
    for (const subscription of this.subscriptions) if (subscription.started) this.offer(subscription, recorded);
  }

  /** A subscription gets what comes strictly after its start, through its filter. */
  private offer(subscription: FakeSubscription, event: KurrentRecordedEvent): void {
    if (!isAfter(event.position!, subscription.call.fromPosition)) return;
    if (!serverFilterAllows(subscription.call.filter, event)) return;
    subscription.deliver({ event, commitPosition: event.position!.commit } as AllStreamResolvedEvent);
  }
}
