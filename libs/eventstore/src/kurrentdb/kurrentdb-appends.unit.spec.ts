import { NotLeaderError, UnavailableError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendRequest } from '../event-store.port';
import type { ExpectedRevision } from '../expected-revision';
import { newEvent, newEvents } from '../testing/event-fixtures';
import { waitUntil } from '../testing/subscription.contract';
import { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb-event-store';
import { toEventData } from './kurrentdb-mapping';
import { OperationTimeoutError } from './kurrentdb-resilience';
import { FakeKurrentDbClient } from './testing/fake-kurrentdb-client';

const unavailable = (): UnavailableError => new UnavailableError(undefined, 'connection reset by peer');
const notLeader = (): NotLeaderError =>
  new NotLeaderError({ metadata: { 'leader-endpoint-host': 'node-2', 'leader-endpoint-port': '2113' } } as never);

/** A store over a fake server whose retry pauses are recorded instead of waited out. */
const setUp = async (options: KurrentDbEventStoreOptions = {}) => {
  const client = new FakeKurrentDbClient();
  const delays: number[] = [];
  const store = await KurrentDbEventStore.over(client, { ...options, retry: { sleep: async (ms) => void delays.push(ms) } });
  return { client, store, delays };
};

const idsIn = (client: FakeKurrentDbClient, streamId: string): string[] =>
  client.log.filter((e) => e.streamId === streamId).map((e) => e.id);

describe('KurrentDB appends when the connection fails', () => {
  it('repeats an append refused before writing (the node was not the leader), whatever it expected', async () => {
    const { client, store, delays } = await setUp();
    client.failAppends({ error: notLeader(), written: false });
    const events = newEvents('Counted', 2);
    const result = await store.appendToStream('report-1', events);
    expect(idsIn(client, 'report-1')).toEqual(events.map((e) => e.id));
    expect(result).toMatchObject({ nextExpectedRevision: 1, position: Number(client.log[1].position?.commit) });
    expect(client.appendCalls).toBe(2);
    expect(delays).toEqual([200]);
  });

  it.each<[string, ExpectedRevision]>([
    ['no_stream', 'no_stream'],
    ['an exact revision', 0],
  ])(
    'repeats an append whose answer was lost when it expected %s: the server recognises the repeat, nothing is written twice',
    async (_, expected) => {
      const { client, store, delays } = await setUp();
      if (expected !== 'no_stream') await store.appendToStream('report-1', [newEvent('Opened')]);
      const before = client.log.length;
      client.failAppends({ error: unavailable(), written: true });
      const events = newEvents('Counted', 2);
      const result = await store.appendToStream('report-1', events, { expectedRevision: expected });
      expect(client.log.length - before).toBe(2);
      expect(idsIn(client, 'report-1').slice(-2)).toEqual(events.map((e) => e.id));
      // The repeat came back without a position; the adapter took it from the stream.
      expect(result.position).toBe(Number(client.log[client.log.length - 1].position?.commit));
      expect(delays).toEqual([200]);
    },
  );

  it.each<ExpectedRevision>(['any', 'stream_exists'])(
    'does not repeat an append expecting %s after an unknown outcome: the repeat could write it twice',
    async (expected) => {
      const { client, store, delays } = await setUp();
      await store.appendToStream('report-1', [newEvent('Opened')]);
      client.failAppends({ error: unavailable(), written: true });
      await expect(
        store.appendToStream('report-1', [newEvent('Counted')], { expectedRevision: expected }),
      ).rejects.toBeInstanceOf(UnavailableError);
      expect(client.appendCalls).toBe(2);
      expect(delays).toEqual([]);
    },
  );

  it('gives up after four retries, pausing longer each time', async () => {
    const { client, store, delays } = await setUp();
    client.failAppends(...Array.from({ length: 6 }, () => ({ error: unavailable(), written: false })));
    await expect(store.appendToStream('report-1', [newEvent('X')], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
      UnavailableError,
    );
    expect(client.appendCalls).toBe(5);
    expect(delays).toEqual([200, 400, 800, 1600]);
    expect(client.log).toEqual([]);
  });

  it('never repeats a version conflict: that is for the command handler to decide', async () => {
    const { client, store, delays } = await setUp();
    await store.appendToStream('report-1', [newEvent('Opened')]);
    await expect(store.appendToStream('report-1', [newEvent('X')], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
      code: 'EVENTSTORE.WRONG_EXPECTED_REVISION',
      actual: 0,
    });
    expect(client.appendCalls).toBe(2);
    expect(delays).toEqual([]);
  });

  it('bounds an append the client never answers, then repeats it as an unknown outcome', async () => {
    const { client, store, delays } = await setUp({ appendTimeoutMs: 10 });
    client.failAppends('hang');
    const result = await store.appendToStream('report-1', [newEvent('X')], { expectedRevision: 'no_stream' });
    expect(result.nextExpectedRevision).toBe(0);
    expect(client.appendCalls).toBe(2);
    expect(delays).toEqual([200]);

    client.failAppends('hang', 'hang', 'hang', 'hang', 'hang');
    await expect(store.appendToStream('report-2', [newEvent('X')], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
      OperationTimeoutError,
    );
  });
});

describe('KurrentDB multi-stream appends when the connection fails', () => {
  const fanOut = (n: number, expectedRevision: ExpectedRevision = 'no_stream'): AppendRequest[] =>
    Array.from({ length: n }, (_, i) => ({
      streamId: `assignment-d1_u${i}`,
      events: [newEvent('DirectiveAssigned')],
      expectedRevision,
    }));

  it('repeats a lost atomic append whose streams all state their revision: every stream is written once', async () => {
    const { client, store, delays } = await setUp();
    client.failAppends({ error: unavailable(), written: true });
    const requests = fanOut(3);
    const results = await store.appendToStreams(requests);
    expect(client.multiStreamAppendCalls).toBe(3); // the probe at connect, the lost one, the repeat
    expect(client.log.map((e) => e.streamId)).toEqual(requests.map((r) => r.streamId));
    // The repeat reported no position; every stream gets the position of the append's last event.
    expect(results.map((r) => r.position)).toEqual([1, 2, 3].map(() => Number(client.log[2].position?.commit)));
    expect(delays).toEqual([200]);
    expect(store.atomicMultiStreamAppend).toBe(true);
  });

  it('does not repeat it when one stream expects any', async () => {
    const { client, store } = await setUp();
    client.failAppends({ error: unavailable(), written: false });
    const requests = [
      ...fanOut(2),
      { streamId: 'directive-d1', events: [newEvent('DirectiveIssued')], expectedRevision: 'any' as const },
    ];
    await expect(store.appendToStreams(requests)).rejects.toBeInstanceOf(UnavailableError);
    expect(client.multiStreamAppendCalls).toBe(2);
  });
});

describe('KurrentDB appendToStreams on a server without multi-stream append (before 25.1)', () => {
  const requests = (): AppendRequest[] => [
    ...Array.from({ length: 5 }, (_, i) => ({
      streamId: `assignment-d1_u${i}`,
      events: [newEvent('DirectiveAssigned')],
      expectedRevision: 'no_stream' as const,
    })),
    // The command's own stream comes last, as the command handler sends it.
    { streamId: 'directive-d1', events: [newEvent('DirectiveIssued')], expectedRevision: 0 },
  ];

  const overOldServer = async () => {
    const set = await setUp({ appendConcurrency: 3 });
    set.client.supportsMultiStreamAppend = false;
    await set.client.appendToStream('directive-d1', [toEventData(newEvent('DirectiveDrafted'))]);
    return set;
  };

  it('writes the last request only once every other one is written, however long one of them takes', async () => {
    const { client, store } = await overOldServer();
    const release = client.holdAppendsTo('assignment-d1_u0');
    const appending = store.appendToStreams(requests());
    await waitUntil(() => client.log.length === 5, 5000, 'the other four assignments');
    // Slots were free for the last request long ago, but the first one is still under way.
    expect(idsIn(client, 'directive-d1')).toHaveLength(1);
    release();
    const results = await appending;
    expect(store.atomicMultiStreamAppend).toBe(false);
    const last = results[results.length - 1].position;
    expect(results.slice(0, -1).every((r) => r.position < last)).toBe(true);
    expect(client.log[client.log.length - 1].streamId).toBe('directive-d1');
  });

  it('leaves the last request unwritten when another fails, so a repeat of the command finds no record of it', async () => {
    const { client, store } = await overOldServer();
    // The first assignment exists already, and its refusal comes late, after the others are written.
    await client.appendToStream('assignment-d1_u0', [toEventData(newEvent('DirectiveAssigned'))]);
    const release = client.holdAppendsTo('assignment-d1_u0');
    const appending = store.appendToStreams(requests());
    await waitUntil(() => client.log.length === 6, 5000, 'the other four assignments');
    release();
    await expect(appending).rejects.toMatchObject({ streamId: 'assignment-d1_u0', code: 'EVENTSTORE.WRONG_EXPECTED_REVISION' });
    expect(idsIn(client, 'directive-d1')).toHaveLength(1);
  });

  it('is completed by a repeat of the same append: streams already written are recognised, the rest written', async () => {
    const { client, store } = await overOldServer();
    const torn = requests();
    client.failAppends({
      error: new WrongExpectedVersionError(undefined, { streamName: 'x', expected: 0n, current: 1n }),
      written: false,
    });
    await expect(store.appendToStreams(torn)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    const results = await store.appendToStreams(torn);
    expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 0, 0, 0, 0, 1]);
    for (const request of torn) expect(idsIn(client, request.streamId)).toContain(request.events[0].id);
    expect(client.log).toHaveLength(7);
  });
});
