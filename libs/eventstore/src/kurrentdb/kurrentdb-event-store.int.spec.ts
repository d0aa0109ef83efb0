import { FORWARDS } from '@kurrent/kurrentdb-client';
import type { EventFeed } from '../event-store.port';
import type { RecordedEvent } from '../recorded-event';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { newEvent, newEvents, uniqueName } from '../testing/event-fixtures';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { toReadPosition } from './kurrentdb-mapping';

const url = process.env.EVENTSTORE_URL;

const take = async (feed: EventFeed, count: number): Promise<RecordedEvent[]> => {
  const received: RecordedEvent[] = [];
  for await (const batch of feed) {
    received.push(...batch);
    if (received.length >= count) break;
  }
  return received;
};

if (url) {
  describeEventStoreContract(`KurrentDB at ${url}`, {
    open: (options) => KurrentDbEventStore.connect(url, { upcasters: options?.upcasters }),
    // A second client with its own connection, so the race test races two writers for real.
    openSecond: () => KurrentDbEventStore.connect(url),
    // Every run adds to a server that keeps its data, so keep the large stream modest.
    largeStreamSize: 3000,
  });

  // What the unit tests assume of the server (the fake client in ./testing), checked against the real one.
  describe(`KurrentDB positions at ${url}`, () => {
    let store: KurrentDbEventStore;
    let category: string;
    beforeEach(async () => {
      store = await KurrentDbEventStore.connect(url);
      category = uniqueName('pos');
    });
    afterEach(() => store.close());

    it('gives each event of one append its own position on $all, with commit = prepare', async () => {
      const head = await store.headPosition();
      await store.appendToStream(`${category}-1`, newEvents('Counted', 3), { expectedRevision: 'no_stream' });
      const raw = [];
      for await (const resolved of store.client.readAll({
        fromPosition: toReadPosition(head),
        direction: FORWARDS,
        maxCount: 1000,
      })) {
        if (resolved.event?.streamId === `${category}-1`) raw.push(resolved.event.position);
      }
      expect(raw).toHaveLength(3);
      expect(raw.every((p) => p !== undefined && p.commit === p.prepare)).toBe(true);
      expect(new Set(raw.map((p) => p?.commit)).size).toBe(3);
    });

    it('resumes a filtered subscription after the middle event of one append with exactly the events after it', async () => {
      await store.appendToStream(`${category}-1`, newEvents('Counted', 3));
      const written = await store.readAll({ filter: { categories: [category] } });
      const received = await take(store.subscribe({ after: written[1].position, filter: { categories: [category] } }), 1);
      expect(received.map((e) => e.id)).toEqual([written[2].id]);
      const typed = await take(
        store.subscribe({ after: written[0].position, filter: { eventTypes: ['Counted'], categories: [category] } }),
        2,
      );
      expect(typed.map((e) => e.id)).toEqual([written[1].id, written[2].id]);
    });

    it('gives each event of a multi-stream append its own position (25.1+)', async () => {
      if (!store.atomicMultiStreamAppend) {
        console.log('KurrentDB multi-stream append positions SKIPPED: the server is older than 25.1');
        return;
      }
      const requests = ['a', 'b', 'c'].map((s) => ({ streamId: `${category}-${s}`, events: [newEvent('X'), newEvent('Y')] }));
      const results = await store.appendToStreams(requests);
      const all = await store.readAll({ filter: { categories: [category] } });
      expect(all).toHaveLength(6);
      expect(new Set(all.map((e) => e.position)).size).toBe(6);
      // The reported position is a "readable after" position for the whole append.
      expect(results.every((r) => r.position >= all[5].position)).toBe(true);
    });
  });
} else {
  // Jest hides the output of a file whose tests are all skipped, so one test runs to say so.
  describe('EventStore contract: KurrentDB', () => {
    it('is SKIPPED because EVENTSTORE_URL is not set', () => {
      console.log(
        'KurrentDB contract suite SKIPPED: EVENTSTORE_URL is not set. Start a server (see docs/eventstoredb.md) and set ' +
          "EVENTSTORE_URL='kurrentdb://localhost:2113?tls=false' to run it.",
      );
      expect(url ?? '').toBe('');
    });
  });
}
