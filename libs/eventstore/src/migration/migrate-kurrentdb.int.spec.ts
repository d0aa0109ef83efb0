import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KurrentDbEventStore } from '../kurrentdb/kurrentdb-event-store';
import type { RecordedEvent } from '../recorded-event';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { InMemoryCheckpointStore } from '../subscriptions/checkpoint-store';
import { newEvent, uniqueName } from '../testing/event-fixtures';
import { FlakyEventStore } from '../testing/flaky-event-store';
import { migrateEvents } from './migrate-events';
import { translatePosition } from './verify-copy';

const url = process.env.EVENTSTORE_URL;

if (url) {
  describe(`migrateEvents from SQLite to KurrentDB at ${url}`, () => {
    let dir: string;
    let source: SqliteEventStore;
    let target: KurrentDbEventStore;
    // A category of its own, so the test runs against a server that already holds data.
    const category = uniqueName('mig');
    const streamOf = (name: string): string => `${category}-${name}`;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'migrate-kdb-'));
      source = SqliteEventStore.open(join(dir, 'engine.db'));
      for (let round = 0; round < 10; round++) {
        await source.appendToStreams(
          Array.from({ length: 6 }, (_, k) => ({
            streamId: streamOf(`u${k}`),
            events: [
              newEvent(
                'UnitNoted',
                { round, k, name: 'Hội LHPN' },
                { commandId: `c-${round}-${k}`, occurredAt: `2025-12-0${1 + (round % 9)}T08:00:00.000Z` },
              ),
            ],
          })),
        );
        if (round === 4)
          await source.appendToStream(
            streamOf('big'),
            Array.from({ length: 300 }, (_, i) => newEvent('TaskAdded', { i })),
          );
      }
      target = await KurrentDbEventStore.connect(url);
    });
    afterAll(async () => {
      await target.close();
      await source.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('resumes after a failure mid-way and ends with an exact copy, in order, nothing twice', async () => {
      const checkpoints = new InMemoryCheckpointStore();
      const flaky = new FlakyEventStore(target, 4, 'after-write');
      await expect(migrateEvents({ source, target: flaky, checkpoints, maxEventsPerAppend: 40 })).rejects.toThrow(
        'connection lost',
      );
      const resumed = await migrateEvents({ source, target, checkpoints, maxEventsPerAppend: 40 });
      expect(resumed.complete).toBe(true);

      const original: RecordedEvent[] = await source.readAll({ maxCount: 10_000 });
      const copy = await target.readAll({ filter: { categories: [category] }, maxCount: 10_000 });
      const essence = (e: RecordedEvent) => [e.id, e.streamId, e.revision, e.type, e.data, e.metadata];
      expect(copy.map(essence)).toEqual(original.map(essence));
      expect(new Set(copy.map((e) => e.id)).size).toBe(original.length);

      const last = original[original.length - 1];
      expect(await translatePosition(source, target, last.position)).toBe(copy[copy.length - 1].position);
    });
  });
} else {
  // Jest hides the output of a file whose tests are all skipped, so one test runs to say so.
  describe('migrateEvents to KurrentDB', () => {
    it('is SKIPPED because EVENTSTORE_URL is not set', () => {
      console.log(
        'KurrentDB migration test SKIPPED: EVENTSTORE_URL is not set. Start a server (see docs/eventstoredb.md) and set ' +
          "EVENTSTORE_URL='kurrentdb://localhost:2113?tls=false' to run it.",
      );
      expect(url ?? '').toBe('');
    });
  });
}
