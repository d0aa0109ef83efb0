import { PassThrough } from 'node:stream';
import {
  type AllStreamResolvedEvent,
  ANY,
  type AppendStreamRequest,
  type KurrentDBClient,
  NO_STREAM,
  type ReadAllOptions,
  type RecordedEvent as KurrentRecordedEvent,
  START,
  STREAM_EXISTS,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { WrongExpectedRevisionError } from '../event-store.errors';
import type { EventMetadata, RecordedEvent } from '../recorded-event';
import { newEvent } from '../testing/event-fixtures';
import { Upcasters } from '../upcasters';
import { KurrentDbEventFeed, KurrentDbEventStore } from './kurrentdb-event-store';
import {
  acceptFromAll,
  actualRevisionOf,
  exactTypesRegex,
  fromStoredMetadata,
  isInvalidArgumentError,
  isSystemEvent,
  isUnsupportedError,
  mapBounded,
  planFilter,
  positionOf,
  toEventData,
  toReadPosition,
  toRecordedEvent,
  toStoreError,
  toStreamState,
  toStringProperties,
} from './kurrentdb-mapping';

const metadata: EventMetadata = {
  eventId: '6f1c3c52-8f0e-4c4e-9a57-0c1d2b3a4f5e',
  actor: { userId: 'user-1', unitId: 'unit-7' },
  occurredAt: '2026-01-15T03:00:00.000Z',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  schemaVersion: 2,
  commandId: 'cmd-1',
};

let nextId = 0;
/** An event as the client hands it over from a read. */
const stored = (position: number, overrides: Record<string, unknown> = {}): KurrentRecordedEvent =>
  ({
    streamId: 'report-d1_u1_2026-01',
    id: `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
    revision: 0n,
    type: 'ReportSubmitted',
    isJson: true,
    created: new Date(1_768_446_000_123),
    data: { n: position },
    metadata,
    position: { commit: BigInt(position), prepare: BigInt(position) },
    ...overrides,
  }) as KurrentRecordedEvent;

const resolved = (event: KurrentRecordedEvent): AllStreamResolvedEvent =>
  ({ event, commitPosition: event.position?.commit }) as AllStreamResolvedEvent;

const conflict = (streamName: string, expected: bigint | 'no_stream', current: bigint | 'no_stream'): WrongExpectedVersionError =>
  new WrongExpectedVersionError(undefined, { streamName, expected, current });

describe('KurrentDB mapping', () => {
  describe('expected revision to stream state', () => {
    it.each([
      [undefined, ANY],
      ['any', ANY],
      ['no_stream', NO_STREAM],
      ['stream_exists', STREAM_EXISTS],
      [-1, NO_STREAM],
      [0, 0n],
      [41, 41n],
    ] as const)('maps %p to %p', (expected, state) => {
      expect(toStreamState(expected)).toBe(state);
    });

    it.each([-2, 1.5, Number.NaN])('refuses the revision %p', (expected) => {
      expect(() => toStreamState(expected)).toThrow(RangeError);
    });
  });

  describe('version conflicts', () => {
    it('reports the actual revision, -1 for no stream and nothing for deleted streams', () => {
      expect(actualRevisionOf(7n)).toBe(7);
      expect(actualRevisionOf(NO_STREAM)).toBe(-1);
      expect(actualRevisionOf(-5n)).toBeUndefined();
      expect(actualRevisionOf(undefined)).toBeUndefined();
    });

    it('turns the client conflict into the port error with the caller expectation', () => {
      const error = toStoreError(conflict('unit-1', 1n, 2n), 'unit-1', 1);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId: 'unit-1', expected: 1, actual: 2, code: 'EVENTSTORE.WRONG_EXPECTED_REVISION' });
      expect(toStoreError(conflict('unit-1', 'no_stream', 'no_stream'), 'unit-1', 'stream_exists')).toMatchObject({
        expected: 'stream_exists',
        actual: -1,
      });
    });

    it('passes every other error through unchanged', () => {
      const other = new Error('unavailable');
      expect(toStoreError(other, 'unit-1')).toBe(other);
    });

    it('tells an unsupported multi-stream append from a server that refuses an empty one', () => {
      const grpcError = (code: number): Error => Object.assign(new Error(`status ${code}`), { code });
      expect(isUnsupportedError(new UnsupportedError('multiStreamAppend', '25.1'))).toBe(true);
      expect(isUnsupportedError(grpcError(12))).toBe(true);
      expect(isUnsupportedError(grpcError(14))).toBe(false);
      expect(isInvalidArgumentError(grpcError(3))).toBe(true);
      expect(isInvalidArgumentError(grpcError(14))).toBe(false);
      expect(isInvalidArgumentError('3')).toBe(false);
    });
  });

  describe('positions', () => {
    it('reads from the start for 0 and from commit = prepare = position otherwise', () => {
      expect(toReadPosition(0)).toBe(START);
      expect(toReadPosition(1_234_567)).toEqual({ commit: 1_234_567n, prepare: 1_234_567n });
      expect(() => toReadPosition(-1)).toThrow(RangeError);
      expect(() => toReadPosition(2.5)).toThrow(RangeError);
    });

    it("takes the event's own commit position, falling back to the resolved commit position", () => {
      expect(positionOf(resolved(stored(900)))).toBe(900);
      expect(positionOf({ event: stored(0, { position: undefined }), commitPosition: 901n } as AllStreamResolvedEvent)).toBe(901);
      expect(positionOf({} as AllStreamResolvedEvent)).toBeUndefined();
      expect(() => positionOf({ commitPosition: 2n ** 64n - 1n } as AllStreamResolvedEvent)).toThrow(RangeError);
    });
  });

  describe('filters', () => {
    it('treats $-prefixed streams and types as system events', () => {
      expect(isSystemEvent('$stats-127.0.0.1:2113', 'StatsCollected')).toBe(true);
      expect(isSystemEvent('$ce-report', '$>')).toBe(true);
      expect(isSystemEvent('report-1', '$metadata')).toBe(true);
      expect(isSystemEvent('report-1', 'ReportSubmitted')).toBe(false);
    });

    it('builds a regex that matches the listed types exactly, special characters included', () => {
      const regex = new RegExp(exactTypesRegex(['Report.Submitted', 'A|B', 'X']));
      expect(regex.test('Report.Submitted')).toBe(true);
      expect(regex.test('ReportXSubmitted')).toBe(false);
      expect(regex.test('A|B')).toBe(true);
      expect(regex.test('A')).toBe(false);
      expect(regex.test('XY')).toBe(false);
      expect(new RegExp(exactTypesRegex([])).test('anything')).toBe(false);
    });

    it('excludes system events on the server when nothing is asked', () => {
      const plan = planFilter();
      expect(plan.server).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
      expect(plan.matches('report-1', 'X')).toBe(true);
      expect(plan.matches('$stats-1', 'X')).toBe(false);
      expect(plan.serverIsExact).toBe(true);
    });

    it('filters categories by stream prefix on the server', () => {
      const plan = planFilter({ categories: ['report', 'unit'] });
      expect(plan.server).toMatchObject({ filterOn: 'streamName', prefixes: ['report-', 'unit-'] });
      expect(plan.matches('unit-9', 'UnitRenamed')).toBe(true);
      expect(plan.matches('reporting-9', 'X')).toBe(false);
      expect(plan.matches('otherreport-9', 'X')).toBe(false);
    });

    it('filters types on the server and categories here when both are given', () => {
      const plan = planFilter({ eventTypes: ['Wanted'], categories: ['report'] });
      expect(plan.server).toMatchObject({ filterOn: 'eventType', regex: '^(?:Wanted)$' });
      expect(plan.serverIsExact).toBe(false);
      expect(plan.matches('report-1', 'Wanted')).toBe(true);
      expect(plan.matches('unit-1', 'Wanted')).toBe(false);
      expect(plan.matches('report-1', 'Unwanted')).toBe(false);
    });

    it('matches nothing when a list is empty', () => {
      expect(planFilter({ eventTypes: [] }).matchesNothing).toBe(true);
      expect(planFilter({ categories: [] }).matches('report-1', 'X')).toBe(false);
      expect(planFilter({ categories: ['report'] }).matchesNothing).toBe(false);
    });

    it('accepts from $all only events after the position that match the filter', () => {
      const plan = planFilter({ categories: ['report'] });
      expect(acceptFromAll(resolved(stored(10)), 9, plan)).toMatchObject({ position: 10 });
      expect(acceptFromAll(resolved(stored(10)), 10, plan)).toBeUndefined();
      expect(acceptFromAll(resolved(stored(11, { streamId: 'unit-1' })), 9, plan)).toBeUndefined();
      expect(acceptFromAll(resolved(stored(12, { streamId: '$ce-report', type: '$>' })), 9, planFilter())).toBeUndefined();
      expect(acceptFromAll({ commitPosition: 13n } as AllStreamResolvedEvent, 9, plan)).toBeUndefined();
    });
  });

  describe('events', () => {
    it('sends data and metadata as JSON with our id as the event id', () => {
      const event = newEvent('ReportSubmitted', { values: [1, 2] });
      expect(toEventData(event)).toEqual({
        id: event.id,
        contentType: 'application/json',
        type: 'ReportSubmitted',
        data: { values: [1, 2] },
        metadata: event.metadata,
      });
    });

    it('sends metadata as string properties for multi-stream appends and reads it back whole', () => {
      const properties = toStringProperties(metadata);
      expect(Object.values(properties).every((value) => typeof value === 'string')).toBe(true);
      expect(properties.actor).toBe('{"userId":"user-1","unitId":"unit-7"}');
      expect(toEventData(newEvent('X'), 'properties').metadata).toMatchObject({ schemaVersion: '1' });
      // The server adds its own $schema.* keys when it turns properties back into JSON metadata.
      const asStored = { ...properties, '$schema.name': 'ReportSubmitted', '$schema.format': 'Json' };
      expect(fromStoredMetadata(asStored, 'report-1@0')).toEqual(metadata);
    });

    it('leaves JSON metadata as written', () => {
      expect(fromStoredMetadata(metadata, 'report-1@0')).toBe(metadata);
      expect(() => fromStoredMetadata(undefined, 'report-1@0')).toThrow(/no JSON metadata/);
      expect(() => fromStoredMetadata(new Uint8Array([1]), 'report-1@0')).toThrow(/no JSON metadata/);
    });

    it('converts a stored event, with the commit position and the created time in ms', () => {
      const event = stored(4242, { revision: 7n });
      expect(toRecordedEvent(event)).toEqual({
        id: event.id,
        streamId: 'report-d1_u1_2026-01',
        revision: 7,
        position: 4242,
        type: 'ReportSubmitted',
        data: { n: 4242 },
        metadata,
        recordedAt: 1_768_446_000_123,
      });
    });

    it('refuses events it cannot represent', () => {
      expect(() => toRecordedEvent(stored(1, { position: undefined }))).toThrow(/22\.6 or later/);
      expect(() => toRecordedEvent(stored(1, { isJson: false, data: new Uint8Array([1]) }))).toThrow(/no JSON object data/);
    });
  });

  describe('bounded fan-out', () => {
    it('keeps request order and never runs more than the limit at once', async () => {
      let running = 0;
      let peak = 0;
      const results = await mapBounded([30, 5, 20, 1, 10, 2], 2, async (delay, index) => {
        peak = Math.max(peak, ++running);
        await new Promise((resolve) => setTimeout(resolve, delay));
        running -= 1;
        return index;
      });
      expect(results).toEqual([0, 1, 2, 3, 4, 5]);
      expect(peak).toBe(2);
    });

    it('starts nothing after a failure and throws it once the running work is done', async () => {
      const started: number[] = [];
      const attempt = mapBounded([0, 1, 2, 3, 4], 2, async (item) => {
        started.push(item);
        await new Promise((resolve) => setTimeout(resolve, item === 1 ? 1 : 20));
        if (item === 1) throw new Error('refused');
        return item;
      });
      await expect(attempt).rejects.toThrow('refused');
      expect(started).toEqual([0, 1]);
    });
  });
});

/** A stand-in for the client's subscription: an object-mode stream that can be cancelled. */
class FakeSubscription extends PassThrough {
  unsubscribed = false;
  constructor() {
    super({ objectMode: true });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    this.end();
  }
}

const feedOver = (source: FakeSubscription, after = 0, batchSize = 2): KurrentDbEventFeed =>
  new KurrentDbEventFeed({
    after,
    batchSize,
    plan: planFilter({ categories: ['report'] }),
    open: () => source,
    decode: toRecordedEvent,
  });

const positionsOf = (batch: readonly RecordedEvent[]): number[] => batch.map((e) => e.position);

describe('KurrentDbEventFeed', () => {
  it('hands over what is buffered in batches, skipping old, foreign and system events, then follows live', async () => {
    const source = new FakeSubscription();
    for (const p of [5, 10, 20]) source.write(resolved(stored(p)));
    source.write(resolved(stored(25, { streamId: 'unit-1' })));
    source.write(resolved(stored(26, { streamId: '$ce-report', type: '$>' })));
    source.write(resolved(stored(30)));
    source.write(resolved(stored(30)));
    source.write(resolved(stored(40)));
    const feed = feedOver(source, 5);
    const iterator = feed[Symbol.asyncIterator]();

    expect(positionsOf((await iterator.next()).value)).toEqual([10, 20]);
    expect(positionsOf((await iterator.next()).value)).toEqual([30, 40]);
    const live = iterator.next();
    setTimeout(() => source.write(resolved(stored(50))), 5);
    expect(positionsOf((await live).value)).toEqual([50]);

    const waiting = iterator.next();
    await feed.close();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(source.unsubscribed).toBe(true);
  });

  it('fails when the subscription fails, after handing over what arrived before', async () => {
    const source = new FakeSubscription();
    source.write(resolved(stored(10)));
    const iterator = feedOver(source)[Symbol.asyncIterator]();
    expect(positionsOf((await iterator.next()).value)).toEqual([10]);
    source.destroy(new Error('connection lost'));
    await expect(iterator.next()).rejects.toThrow('connection lost');
    expect(source.unsubscribed).toBe(true);
  });

  it('fails when the server ends the subscription, so the runner resumes from its checkpoint', async () => {
    const source = new FakeSubscription();
    const iterator = feedOver(source)[Symbol.asyncIterator]();
    const next = iterator.next();
    source.end();
    await expect(next).rejects.toThrow(/ended unexpectedly/);
  });

  it('unsubscribes when the consumer stops early', async () => {
    const source = new FakeSubscription();
    source.write(resolved(stored(10)));
    const feed = feedOver(source);
    for await (const batch of feed) {
      expect(positionsOf(batch)).toEqual([10]);
      break;
    }
    expect(source.unsubscribed).toBe(true);
  });
});

type FakeClient = Record<string, jest.Mock>;
const storeOver = (client: FakeClient, upcasters?: Upcasters): KurrentDbEventStore =>
  new KurrentDbEventStore(client as unknown as KurrentDBClient, { upcasters });

describe('KurrentDbEventStore without a server', () => {
  const fanOut = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ streamId: `assignment-d1_u${i}`, events: [newEvent('DirectiveAssigned')] }));

  it('appends to many streams in one atomic call when the server supports it', async () => {
    const client = {
      multiStreamAppend: jest.fn(async (requests: AppendStreamRequest[]) => ({
        position: 5000n,
        responses: requests.map((r) => ({ streamName: r.streamName, revision: 0n })).reverse(),
      })),
      appendToStream: jest.fn(),
    };
    const store = storeOver(client);
    const results = await store.appendToStreams(fanOut(3));
    expect(results).toEqual(fanOut(3).map(({ streamId }) => ({ streamId, nextExpectedRevision: 0, position: 5000 })));
    expect(client.multiStreamAppend.mock.calls[0][0][1]).toMatchObject({ streamName: 'assignment-d1_u1', expectedState: ANY });
    expect(client.appendToStream).not.toHaveBeenCalled();
    expect(store.atomicMultiStreamAppend).toBe(true);
  });

  it('reports a conflict in an atomic append against the stream that refused it', async () => {
    const client = { multiStreamAppend: jest.fn(async () => Promise.reject(conflict('assignment-d1_u1', 'no_stream', 0n))) };
    const requests = fanOut(3).map((r, i) => ({ ...r, expectedRevision: i === 1 ? ('no_stream' as const) : ('any' as const) }));
    await expect(storeOver(client).appendToStreams(requests)).rejects.toMatchObject({
      streamId: 'assignment-d1_u1',
      expected: 'no_stream',
      actual: 0,
    });
  });

  it('falls back to single appends, in request order, when the server lacks multi-stream append', async () => {
    const client = {
      multiStreamAppend: jest.fn(async () => Promise.reject(new UnsupportedError('multiStreamAppend', '25.1'))),
      appendToStream: jest.fn(async (streamName: string) => {
        await new Promise((resolve) => setTimeout(resolve, streamName.endsWith('u0') ? 20 : 1));
        return { success: true, nextExpectedRevision: 4n, position: { commit: 100n, prepare: 100n } };
      }),
    };
    const store = storeOver(client);
    const results = await store.appendToStreams(fanOut(4));
    expect(results.map((r) => r.streamId)).toEqual(fanOut(4).map((r) => r.streamId));
    expect(results[0]).toEqual({ streamId: 'assignment-d1_u0', nextExpectedRevision: 4, position: 100 });
    expect(store.atomicMultiStreamAppend).toBe(false);
    await store.appendToStreams(fanOut(2));
    expect(client.multiStreamAppend).toHaveBeenCalledTimes(1);
  });

  it('refuses a stream that appears twice, as the server would', async () => {
    const requests = [...fanOut(2), fanOut(1)[0]];
    await expect(storeOver({}).appendToStreams(requests)).rejects.toThrow(/appears twice/);
  });

  it('pages through $all when the client filters, exclusive of the start position, upcasting on the way', async () => {
    const log = [
      stored(100, { streamId: 'report-1', type: 'Wanted' }),
      stored(200, { streamId: 'unit-1', type: 'Wanted' }),
      stored(300, { streamId: '$ce-report', type: '$>' }),
      stored(400, { streamId: 'report-2', type: 'Unwanted' }),
      stored(500, { streamId: 'report-2', type: 'Wanted', metadata: { ...metadata, schemaVersion: 1 } }),
      stored(600, { streamId: 'report-3', type: 'Wanted' }),
    ];
    // The fake server ignores the filter, so everything rests on the client-side check.
    const readAll = jest.fn(async function* ({ fromPosition, maxCount }: ReadAllOptions) {
      const from =
        fromPosition === START || fromPosition === undefined || typeof fromPosition === 'string' ? 0n : fromPosition.commit;
      yield* log
        .filter((e) => e.position!.commit >= from)
        .slice(0, Number(maxCount))
        .map(resolved);
    });
    const upcasters = new Upcasters().register('Wanted', 1, (data) => ({ ...data, upcast: true }));
    const store = storeOver({ readAll }, upcasters);

    const page = await store.readAll({ after: 100, maxCount: 2, filter: { eventTypes: ['Wanted'], categories: ['report'] } });
    expect(positionsOf(page)).toEqual([500, 600]);
    expect(page[0].data).toEqual({ n: 500, upcast: true });
    expect(positionsOf(await store.readAll({ after: 500, filter: { categories: ['report'] } }))).toEqual([600]);
    // Pages of two (one wanted plus the start event) until something passes: 200 and 300 are filtered out on the way.
    expect(positionsOf(await store.readAll({ after: 100, maxCount: 1, filter: { categories: ['report'] } }))).toEqual([400]);
    expect(readAll).toHaveBeenLastCalledWith(
      expect.objectContaining({ fromPosition: { commit: 300n, prepare: 300n }, maxCount: 2 }),
    );
    expect(await store.readAll({ filter: { eventTypes: [] } })).toEqual([]);
  });
});
