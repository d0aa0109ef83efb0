import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { auditIndexProjection } from '@app/audit';
import { type EventStore, InMemoryEventStore, type RecordedEvent } from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';
import type { Projection } from './projection';
import { Projector } from './projector';
import { describeOnReadStores, type ReadStoreFixture } from './testing/read-stores';

const seed = async (events: EventStore, count: number, from = 0): Promise<void> => {
  for (let i = from; i < from + count; i++) {
    await events.appendToStream(`report-d1_U${i % 7}_2026-03`, [
      newEvent(i % 2 ? 'ReportSubmitted' : 'ReportApproved', { version: 1, values: {}, onTime: true }),
    ]);
  }
};

const rows = async (fixture: ReadStoreFixture) =>
  fixture.store.db.selectFrom('rm_audit').select(['position', 'type', 'unit_id', 'summary']).orderBy('position').execute();

/** The names of a table's secondary indexes (not the primary key's). */
const indexesOn = async (fixture: ReadStoreFixture, table: string): Promise<string[]> => {
  const result =
    fixture.store.dialect === 'postgres'
      ? await sql<{
          name: string;
        }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = ${table} AND indexname NOT LIKE '%_pkey'`.execute(
          fixture.store.db,
        )
      : await sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ${table} AND sql IS NOT NULL`.execute(
          fixture.store.db,
        );
  return result.rows.map((r) => r.name).sort();
};

describeOnReadStores('Projector with the audit index', (open) => {
  let fixture: ReadStoreFixture;
  let events: InMemoryEventStore;
  let projector: Projector;
  beforeEach(async () => {
    fixture = await open();
    events = new InMemoryEventStore();
    projector = new Projector(fixture.store, [auditIndexProjection]);
    await projector.prepare();
  });
  afterEach(async () => fixture.cleanup());

  it('writes rows and the checkpoint together, and a replayed batch changes nothing', async () => {
    await seed(events, 12);
    const all = await events.readAll();
    expect(await projector.project(auditIndexProjection, all)).toBe(12);
    const first = await rows(fixture);
    expect(first).toHaveLength(12);
    expect(first[1]).toMatchObject({
      type: 'ReportSubmitted',
      unit_id: 'U1',
      summary: 'submitted version 1 with 0 value(s), on time',
    });
    expect(await projector.checkpoint(fixture.store.db, 'audit-index')).toBe(all[11].position);

    expect(await projector.project(auditIndexProjection, all)).toBe(0);
    expect(await projector.project(auditIndexProjection, all.slice(3, 9))).toBe(0);
    expect(await rows(fixture)).toEqual(first);
  });

  it('applies a batch once when two workers project it at the same moment (blind increments included)', async () => {
    // A projection that only adds: replaying a batch it already applied would count twice.
    const tally: Projection = {
      name: 'tally',
      tables: ['rm_tally'],
      async createTables(db, t) {
        await db.schema
          .createTable(t.rm_tally)
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('n', 'integer', (c) => c.notNull())
          .execute();
      },
      async apply(trx, batch, t) {
        await trx
          .insertInto(t.rm_tally)
          .values({ id: 'all', n: batch.length })
          .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ n: eb(eb.ref(`${t.rm_tally}.n`), '+', batch.length) })))
          .execute();
      },
    };
    const two = [new Projector(fixture.store, [tally]), new Projector(fixture.store, [tally])];
    await two[0].prepare();
    await seed(events, 40);
    const all = await events.readAll();
    for (let round = 0; round < 4; round++) {
      const slice = all.slice(round * 10, round * 10 + 10);
      const applied = await Promise.all(two.map((p) => p.project(tally, slice)));
      expect(applied.sort()).toEqual([0, 10]);
    }
    const row = await fixture.store.db.selectFrom('rm_tally').select('n').executeTakeFirst();
    expect(Number(row?.n)).toBe(40);
  });

  it('leaves no trace of a batch that fails half-way', async () => {
    await seed(events, 6);
    const all = await events.readAll();
    await projector.project(auditIndexProjection, all.slice(0, 2));
    const failing: Projection = {
      ...auditIndexProjection,
      apply: async (trx, batch, t) => {
        await auditIndexProjection.apply(trx, batch.slice(0, 2), t);
        throw new Error('crash in the middle of a batch');
      },
    };
    await expect(projector.project(failing, all)).rejects.toThrow('crash in the middle');
    expect(await rows(fixture)).toHaveLength(2);
    expect(await projector.checkpoint(fixture.store.db, 'audit-index')).toBe(all[1].position);
    expect(await projector.project(auditIndexProjection, all)).toBe(4);
    expect((await rows(fixture)).map((r) => Number(r.position))).toEqual(all.map((e) => e.position));
  });

  it('rebuilds into shadow tables while the live ones serve, then swaps them in with everything', async () => {
    await seed(events, 30);
    await projector.project(auditIndexProjection, await events.readAll());
    const before = await rows(fixture);
    const seenDuringRebuild: number[] = [];
    let appended = false;
    const result = await projector.rebuild(
      auditIndexProjection,
      events,
      async (progress) => {
        seenDuringRebuild.push((await rows(fixture)).length);
        if (!appended && progress.events >= 10) {
          appended = true;
          await seed(events, 5, 100);
        }
      },
      10,
    );
    // The live table kept answering with the old rows while the rebuild ran.
    expect(seenDuringRebuild.every((n) => n === 30)).toBe(true);
    expect(result.events).toBe(35);
    const after = await rows(fixture);
    expect(after).toHaveLength(35);
    expect(after.slice(0, 30)).toEqual(before);
    const head = (await events.readAll({ maxCount: 100 })).pop() as RecordedEvent;
    expect(await projector.checkpoint(fixture.store.db, 'audit-index')).toBe(head.position);
    // The live runner goes on from there without duplicating anything.
    expect(await projector.project(auditIndexProjection, await events.readAll({ maxCount: 100 }))).toBe(0);
    // A second rebuild works too (index names do not collide with the swapped-in ones).
    await projector.rebuild(auditIndexProjection, events);
    expect(await rows(fixture)).toEqual(after);
    // The next start prepares the tables again: the rebuilt indexes are all there is, none twice.
    const indexesAfterRebuild = await indexesOn(fixture, 'rm_audit');
    await new Projector(fixture.store, [auditIndexProjection]).prepare();
    expect(await indexesOn(fixture, 'rm_audit')).toEqual(indexesAfterRebuild);
    expect(indexesAfterRebuild.length).toBeGreaterThan(0);
    expect(indexesAfterRebuild.every((name) => !name.endsWith('_g0'))).toBe(true);
  });
});

describe('Projector on the SQLite file shared with the event store', () => {
  it('serialises projection writes with event appends in one process (no busy-wait deadlock)', async () => {
    const { SqliteEventStore, WriteLock } = await import('@app/eventstore');
    const { SqliteReadStore } = await import('./sqlite-read-store');
    const dir = mkdtempSync(join(tmpdir(), 'shared-'));
    const file = join(dir, 'engine.db');
    const lock = new WriteLock();
    const events = SqliteEventStore.open(file, { writeLock: lock, busyTimeoutMs: 200 });
    const store = new SqliteReadStore(file, lock);
    const projector = new Projector(store, [auditIndexProjection]);
    await projector.prepare();
    try {
      await seed(events, 20);
      // Appends and projection transactions interleave freely on the event loop.
      await Promise.all([
        seed(events, 50, 20),
        (async () => {
          for (let i = 0; i < 10; i++) await projector.project(auditIndexProjection, await events.readAll({ maxCount: 1000 }));
        })(),
      ]);
      await projector.project(auditIndexProjection, await events.readAll({ maxCount: 1000 }));
      expect(
        await store.db
          .selectFrom('rm_audit')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow(),
      ).toEqual({ n: 70 });
    } finally {
      await store.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
