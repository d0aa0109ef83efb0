import type { EventFeed } from '../event-store.port';
import type { RecordedEvent } from '../recorded-event';
import { InMemoryCheckpointStore } from '../subscriptions/checkpoint-store';
import { CheckpointedSubscription } from '../subscriptions/checkpointed-subscription';
import { newEvent, newEvents } from '../testing/event-fixtures';
import { waitUntil } from '../testing/subscription.contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { ExplicitTransactionError, toEventData, toReadPosition } from './kurrentdb-mapping';
import { FakeKurrentDbClient } from './testing/fake-kurrentdb-client';

const take = async (feed: EventFeed, count: number): Promise<RecordedEvent[]> => {
  const received: RecordedEvent[] = [];
  for await (const batch of feed) {
    received.push(...batch);
    if (received.length >= count) break;
  }
  return received;
};

const idsOf = (events: readonly { id: string }[]): string[] => events.map((e) => e.id);

describe('KurrentDB positions', () => {
  let client: FakeKurrentDbClient;
  let store: KurrentDbEventStore;
  let written: RecordedEvent[];

  beforeEach(async () => {
    client = new FakeKurrentDbClient();
    store = await KurrentDbEventStore.over(client);
    // One single-event append, one three-event append, one multi-stream append of two streams (25.1+).
    await store.appendToStream('report-a', [newEvent('Submitted')]);
    await store.appendToStream('report-b', newEvents('Counted', 3), { expectedRevision: 'no_stream' });
    await store.appendToStreams([
      { streamId: 'assignment-1', events: [newEvent('Assigned')], expectedRevision: 'no_stream' },
      { streamId: 'report-c', events: newEvents('Opened', 2), expectedRevision: 'no_stream' },
    ]);
    written = await store.readAll();
  });

  afterEach(() => store.close());

  it('gives every event of an append, single- or multi-stream, its own, strictly increasing position', () => {
    expect(written).toHaveLength(7);
    const positions = written.map((e) => e.position);
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
    // The server's side of it: events of one implicit transaction are committed records of their own.
    expect(client.log.every((e) => e.position?.commit === e.position?.prepare)).toBe(true);
  });

  it('resuming a subscription after the position of any event delivers exactly the events after it', async () => {
    for (let k = 0; k < written.length - 1; k++) {
      const received = await take(store.subscribe({ after: written[k].position }), written.length - k - 1);
      expect(idsOf(received)).toEqual(idsOf(written.slice(k + 1)));
    }
    // After the last one, the next event to be written is the first delivered.
    const feed = store.subscribe({ after: written[written.length - 1].position });
    const next = newEvent('Later');
    const receiving = take(feed, 1);
    await store.appendToStream('report-later', [next]);
    expect(idsOf(await receiving)).toEqual([next.id]);
    // The subscription asked the server to start at the checkpoint itself, as commit = prepare.
    expect(client.subscribeCalls[1].fromPosition).toEqual(toReadPosition(written[1].position));
  });

  it('reading after the position of any event returns exactly the events after it', async () => {
    for (let k = 0; k < written.length; k++) {
      expect(idsOf(await store.readAll({ after: written[k].position }))).toEqual(idsOf(written.slice(k + 1)));
      expect(idsOf(await store.readAll({ after: written[k].position, maxCount: 1 }))).toEqual(idsOf(written.slice(k + 1, k + 2)));
    }
  });

  it('a subscriber stopped after each event in turn and restarted from its checkpoint sees each event once, in order', async () => {
    const checkpoints = new InMemoryCheckpointStore();
    const seen: RecordedEvent[] = [];
    for (let run = 0; run < written.length; run++) {
      // The process stops right after the runner has stored the checkpoint of one event.
      let stopped: Promise<void> | undefined;
      const subscription: CheckpointedSubscription = new CheckpointedSubscription({
        name: 'one-at-a-time',
        store,
        checkpoints,
        batchSize: 1,
        handle: async (batch) => {
          seen.push(...batch);
          stopped ??= subscription.stop();
        },
      });
      subscription.start();
      await waitUntil(() => stopped !== undefined, 5000, `event ${run + 1}`);
      await stopped;
    }
    expect(idsOf(seen)).toEqual(idsOf(written));
    expect(await checkpoints.load('one-at-a-time')).toBe(written[written.length - 1].position);
  });

  it('stores only positions of delivered events: a buggy checkpoint at the end of the log (#4970) is never used', async () => {
    // Issue #4970: a filtered subscription could report a checkpoint equal to the end of the log; the
    // next event written then takes exactly that position, and resuming from it skips that event.
    const buggyCheckpoint = client.endOfLog;
    const late = newEvent('Submitted');
    await store.appendToStream('report-d', [late]);
    const stored = await store.readAll({ after: written[written.length - 1].position });
    expect(stored[0].position).toBe(Number(buggyCheckpoint));
    expect(idsOf(await store.readAll({ after: Number(buggyCheckpoint) }))).not.toContain(late.id);

    const checkpoints = new InMemoryCheckpointStore();
    const saved: number[] = [];
    const seen: RecordedEvent[] = [];
    const subscription = new CheckpointedSubscription({
      name: 'relay',
      store,
      filter: { categories: ['report'] },
      checkpoints: {
        load: (name) => checkpoints.load(name),
        store: async (name, position) => {
          saved.push(position);
          await checkpoints.store(name, position);
        },
      },
      handle: async (batch) => void seen.push(...batch),
    });
    subscription.start();
    await waitUntil(() => seen.some((e) => e.id === late.id), 5000, 'the late event');
    await subscription.stop();
    const delivered = new Set(seen.map((e) => e.position));
    expect(saved.every((position) => delivered.has(position))).toBe(true);
    expect(await checkpoints.load('relay')).toBe(Number(buggyCheckpoint));
  });

  it('refuses, loudly, events of an explicit transaction, whose shared commit position one number cannot order', async () => {
    const head = written[written.length - 1].position;
    client.writeExplicitTransaction('report-legacy', [toEventData(newEvent('A')), toEventData(newEvent('B'))]);
    const [a, b] = client.log.slice(-2);
    expect(a.position?.commit).toBe(b.position?.commit);

    await expect(store.readAll({ after: head })).rejects.toBeInstanceOf(ExplicitTransactionError);
    await expect(take(store.subscribe({ after: head }), 2)).rejects.toBeInstanceOf(ExplicitTransactionError);
  });

  it('fails rather than round a commit position beyond 2^53', async () => {
    const last = 2n ** 53n - 1n;
    client.jumpTo(last);
    await store.appendToStream('report-e', [newEvent('AtTheLimit')]);
    const [atLimit] = await store.readAll({ after: written[written.length - 1].position });
    expect(atLimit.position).toBe(Number.MAX_SAFE_INTEGER);

    await expect(store.appendToStream('report-e', [newEvent('BeyondIt')])).rejects.toThrow(RangeError);
    await expect(store.readAll({ after: written[written.length - 1].position })).rejects.toThrow(/out of range/);
    expect(() => toReadPosition(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });
});
