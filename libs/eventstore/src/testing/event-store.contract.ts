import type { EventStore } from '../event-store.port';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../event-store.errors';
import type { RecordedEvent } from '../recorded-event';
import { Upcasters } from '../upcasters';
import { newEvent, newEvents, uniqueName } from './event-fixtures';
import { describeSubscriptionContract } from './subscription.contract';

export type ContractStoreFactory = Readonly<{
  /** A store to test. The suite closes it. Pass upcasters through to the adapter. */
  open(options?: { upcasters?: Upcasters }): Promise<EventStore>;
  /** A second, independent connection to the same store, for races. */
  openSecond?(): Promise<EventStore>;
  /** Events in the large-stream test; a remote server may want fewer. */
  largeStreamSize?: number;
  /** False when each `open()` makes a separate store (in-memory). */
  opensShareData?: boolean;
  cleanup?(): Promise<void>;
}>;

const dataOf = (events: readonly RecordedEvent[]): unknown[] => events.map((e) => e.data);

/**
 * The behaviour every EventStore adapter must show. Names are unique per test, so the suite
 * never assumes an empty store and can run against a shared EventStoreDB server.
 */
export const describeEventStoreContract = (adapterName: string, factory: ContractStoreFactory): void => {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let category: string;
    let stream: string;

    beforeEach(async () => {
      store = await factory.open();
      category = uniqueName('c');
      stream = `${category}-${uniqueName('s')}`;
    });
    afterEach(async () => {
      await store.close();
      await factory.cleanup?.();
    });

    describe('appending and reading one stream', () => {
      it('reads back what was appended, in order, with revisions from 0 and all metadata', async () => {
        const events = newEvents('Counted', 3);
        const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(2);

        const read = await store.readStream(stream);
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
        expect(dataOf(read)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
        expect(read[1].metadata).toEqual(events[1].metadata);
        expect(read.every((e) => e.streamId === stream && e.type === 'Counted')).toBe(true);
        expect(read[2].position).toBe(result.position);
        expect(read[0].position).toBeLessThan(read[1].position);
      });

      it('returns an empty list and revision -1 for a stream that does not exist', async () => {
        expect(await store.readStream(`${category}-missing`)).toEqual([]);
        expect(await store.streamRevision(`${category}-missing`)).toBe(-1);
      });

      it('reads backwards, from a revision and with a maximum count', async () => {
        await store.appendToStream(stream, newEvents('Counted', 10));
        expect(dataOf(await store.readStream(stream, { fromRevision: 4, maxCount: 3 }))).toEqual([{ n: 4 }, { n: 5 }, { n: 6 }]);
        expect(dataOf(await store.readStream(stream, { direction: 'backwards', maxCount: 2 }))).toEqual([{ n: 9 }, { n: 8 }]);
        expect(dataOf(await store.readStream(stream, { direction: 'backwards', fromRevision: 1 }))).toEqual([{ n: 1 }, { n: 0 }]);
        expect(await store.streamRevision(stream)).toBe(9);
      });

      it('returns the same events, equal in every field, when read twice', async () => {
        await store.appendToStream(stream, newEvents('Counted', 4));
        const first = await store.readStream(stream);
        const second = await store.readStream(stream);
        expect(second).toEqual(first);
        const all1 = await store.readAll({ filter: { categories: [category] } });
        const all2 = await store.readAll({ filter: { categories: [category] } });
        expect(all2).toEqual(all1);
        expect(all1).toEqual(first);
      });

      it('keeps unicode text and nested data intact', async () => {
        const data = { title: 'Chương trình hành động 11/CTr-BTV', nested: { rates: [0.85, 0.9], ok: true, none: null } };
        await store.appendToStream(stream, [newEvent('Drafted', data)]);
        expect((await store.readStream(stream))[0].data).toEqual(data);
      });
    });

    describe('expected revision', () => {
      const refusals: Array<[string, 'no_stream' | 'stream_exists' | number, number]> = [
        ['no_stream on an existing stream', 'no_stream', 2],
        ['a revision behind the stream', 1, 2],
        ['a revision ahead of the stream', 5, 2],
      ];
      it.each(refusals)('refuses %s and writes nothing', async (_name, expected, actual) => {
        await store.appendToStream(stream, newEvents('Counted', 3));
        const head = await store.headPosition();
        const attempt = store.appendToStream(stream, newEvents('Counted', 2, 3), { expectedRevision: expected });
        await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(attempt).rejects.toMatchObject({ streamId: stream, expected, code: 'EVENTSTORE.WRONG_EXPECTED_REVISION' });
        const error = (await attempt.catch((e: unknown) => e)) as WrongExpectedRevisionError;
        if (error.actual !== undefined) expect(error.actual).toBe(actual);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('refuses stream_exists on a missing stream', async () => {
        await expect(
          store.appendToStream(stream, [newEvent('Counted')], { expectedRevision: 'stream_exists' }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('accepts the exact revision, stream_exists and any', async () => {
        await store.appendToStream(stream, [newEvent('Counted')], { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, [newEvent('Counted')], { expectedRevision: 0 });
        await store.appendToStream(stream, [newEvent('Counted')], { expectedRevision: 'stream_exists' });
        const last = await store.appendToStream(stream, [newEvent('Counted')], { expectedRevision: 'any' });
        expect(last.nextExpectedRevision).toBe(3);
      });

      it('lets exactly one of two racing writers win', async () => {
        const second = factory.openSecond ? await factory.openSecond() : store;
        try {
          for (let round = 0; round < 10; round++) {
            const raced = `${category}-race${round}`;
            await store.appendToStream(raced, [newEvent('Started')]);
            const outcomes = await Promise.allSettled([
              store.appendToStream(raced, [newEvent('Won', { by: 'a' })], { expectedRevision: 0 }),
              second.appendToStream(raced, [newEvent('Won', { by: 'b' })], { expectedRevision: 0 }),
            ]);
            expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
            const loser = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
            expect(loser.reason).toBeInstanceOf(WrongExpectedRevisionError);
            expect((await store.readStream(raced)).map((e) => e.type)).toEqual(['Started', 'Won']);
          }
        } finally {
          if (second !== store) await second.close();
        }
      });
    });

    describe('event ids', () => {
      it('never stores the same event id twice', async () => {
        const event = newEvent('Counted');
        await store.appendToStream(stream, [event]);
        const again = await store.appendToStream(stream, [event]).then(
          () => undefined,
          (error: unknown) => error,
        );
        if (again !== undefined) expect(again).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('appending to many streams', () => {
      it('appends to every stream in one call and reports each result', async () => {
        const streams = Array.from({ length: 50 }, (_, i) => `${category}-fan${i}`);
        const results = await store.appendToStreams(
          streams.map((s, i) => ({ streamId: s, events: newEvents('Assigned', 1, i), expectedRevision: 'no_stream' })),
        );
        expect(results.map((r) => r.streamId)).toEqual(streams);
        expect(results.every((r) => r.nextExpectedRevision === 0)).toBe(true);
        const all = await store.readAll({ filter: { categories: [category] }, maxCount: 100 });
        expect(all).toHaveLength(50);
        expect(new Set(all.map((e) => e.streamId))).toEqual(new Set(streams));
      });

      it('writes nothing when one stream conflicts, where the adapter is atomic', async () => {
        if (!store.atomicMultiStreamAppend) {
          console.log(`${adapterName}: multi-stream append is not atomic here; skipping the all-or-nothing check`);
          return;
        }
        await store.appendToStream(`${category}-taken`, [newEvent('Assigned')]);
        const head = await store.headPosition();
        await expect(
          store.appendToStreams([
            { streamId: `${category}-free1`, events: [newEvent('Assigned')], expectedRevision: 'no_stream' },
            { streamId: `${category}-taken`, events: [newEvent('Assigned')], expectedRevision: 'no_stream' },
            { streamId: `${category}-free2`, events: [newEvent('Assigned')], expectedRevision: 'no_stream' },
          ]),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(`${category}-free1`)).toEqual([]);
      });
    });

    describe('the global log', () => {
      it('reads in commit order, after a position (exclusive), in pages', async () => {
        const a = `${category}-a`;
        const b = `${category}-b`;
        await store.appendToStream(a, [newEvent('X', { i: 0 })]);
        await store.appendToStream(b, [newEvent('Y', { i: 1 }), newEvent('X', { i: 2 })]);
        await store.appendToStream(a, [newEvent('Y', { i: 3 })]);
        const all = await store.readAll({ filter: { categories: [category] } });
        expect(dataOf(all)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }]);
        const positions = all.map((e) => e.position);
        expect([...positions].sort((x, y) => x - y)).toEqual(positions);
        expect(new Set(positions).size).toBe(4);

        const page = await store.readAll({ after: all[1].position, maxCount: 1, filter: { categories: [category] } });
        expect(dataOf(page)).toEqual([{ i: 2 }]);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(all[3].position);
      });

      it('filters by event type and by stream category', async () => {
        const other = uniqueName('o');
        const typeX = uniqueName('X');
        await store.appendToStream(`${category}-1`, [newEvent(typeX, { i: 0 }), newEvent('Y', { i: 1 })]);
        await store.appendToStream(`${other}-1`, [newEvent(typeX, { i: 2 }), newEvent('Y', { i: 3 })]);
        expect(dataOf(await store.readAll({ filter: { eventTypes: [typeX] } }))).toEqual([{ i: 0 }, { i: 2 }]);
        expect(dataOf(await store.readAll({ filter: { categories: [other] } }))).toEqual([{ i: 2 }, { i: 3 }]);
        expect(dataOf(await store.readAll({ filter: { categories: [category, other], eventTypes: ['Y'] } }))).toEqual([
          { i: 1 },
          { i: 3 },
        ]);
      });
    });

    describe('large streams', () => {
      it('appends and reads a long stream in pages without losing or reordering events', async () => {
        const size = factory.largeStreamSize ?? 20_000;
        for (let from = 0; from < size; from += 1000) {
          await store.appendToStream(stream, newEvents('Counted', Math.min(1000, size - from), from), {
            expectedRevision: from === 0 ? 'no_stream' : from - 1,
          });
        }
        const forwards = await store.readStream(stream);
        expect(forwards).toHaveLength(size);
        expect(forwards.every((e, i) => e.revision === i && (e.data as { n: number }).n === i)).toBe(true);
        const tail = await store.readStream(stream, { direction: 'backwards', maxCount: 5 });
        expect(tail.map((e) => e.revision)).toEqual([size - 1, size - 2, size - 3, size - 4, size - 5]);
        let after = 0;
        let seen = 0;
        for (;;) {
          const page = await store.readAll({ after, maxCount: 777, filter: { categories: [category] } });
          if (page.length === 0) break;
          expect((page[0].data as { n: number }).n).toBe(seen);
          seen += page.length;
          after = page[page.length - 1].position;
        }
        expect(seen).toBe(size);
      });
    });

    describe('schema versions', () => {
      it('upcasts old events on read, one version step at a time, and leaves current ones alone', async () => {
        const upcasters = new Upcasters()
          .register('Renamed', 1, (d) => ({ fullName: d.name }))
          .register('Renamed', 2, (d) => ({ ...d, locale: 'vi' }));
        const upcasting = await factory.open({ upcasters });
        try {
          await upcasting.appendToStream(stream, [
            newEvent('Renamed', { name: 'Hội LHPN' }, { schemaVersion: 1 }),
            newEvent('Renamed', { fullName: 'X', locale: 'en' }, { schemaVersion: 3 }),
          ]);
          const read = await upcasting.readStream(stream);
          expect(read[0].data).toEqual({ fullName: 'Hội LHPN', locale: 'vi' });
          expect(read[0].metadata.schemaVersion).toBe(3);
          expect(read[1].data).toEqual({ fullName: 'X', locale: 'en' });
          const viaLog = await upcasting.readAll({ filter: { categories: [category] } });
          expect(viaLog[0].data).toEqual({ fullName: 'Hội LHPN', locale: 'vi' });
          // Stored as written: a store without upcasters reads the original shape.
          if (factory.opensShareData !== false) {
            expect((await store.readStream(stream))[0].data).toEqual({ name: 'Hội LHPN' });
          }
        } finally {
          await upcasting.close();
        }
      });
    });

    describeSubscriptionContract(() => ({ store, category }));
  });
};
