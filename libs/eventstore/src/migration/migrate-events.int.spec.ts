import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../event-store.port';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store';
import { KurrentDbEventStore } from '../kurrentdb/kurrentdb-event-store';
import { FakeKurrentDbClient } from '../kurrentdb/testing/fake-kurrentdb-client';
import type { NewEvent, RecordedEvent } from '../recorded-event';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { SqliteCheckpointStore } from '../subscriptions/sqlite-checkpoint-store';
import { newEvent } from '../testing/event-fixtures';
import { FlakyEventStore } from '../testing/flaky-event-store';
import { MIGRATION_CHECKPOINT, migrateEvents, type MigrationOptions } from './migrate-events';
import { translatePosition, verifyCopy } from './verify-copy';

let occurred = 0;
const ev = (type: string, data: object): NewEvent =>
  newEvent(type, data, {
    occurredAt: new Date(Date.UTC(2025, 11, 1) + occurred++ * 60_000).toISOString(),
    commandId: `cmd-${occurred}`,
    correlationId: `corr-${occurred % 5}`,
  });

/** Interleaved streams of three categories, fan-out appends, and one long stream written in a row. */
const fillSource = async (store: EventStore, rounds = 20): Promise<void> => {
  for (let round = 0; round < rounds; round++) {
    await store.appendToStreams(
      Array.from({ length: 8 }, (_, k) => ({
        streamId: `unit-u${k}`,
        events: [ev('UnitNoted', { round, k, name: 'Hội LHPN Lào Cai' })],
      })),
    );
    await store.appendToStream(`report-r${round % 3}`, [
      ev('ReportSubmitted', { round, values: { a: round, nested: [1, { x: null }] } }),
      ev('ReportApproved', { round, note: 'Đã duyệt ✓' }),
    ]);
    if (round === 5) {
      await store.appendToStream(
        'directive-big',
        Array.from({ length: 700 }, (_, i) => ev('TaskAdded', { i })),
      );
    }
  }
};

const everything = async (store: EventStore): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  for (let after = 0; ;) {
    const page = await store.readAll({ after, maxCount: 500 });
    if (page.length === 0) return out;
    out.push(...page);
    after = page[page.length - 1].position;
  }
};

const essence = (e: RecordedEvent) => ({
  id: e.id,
  streamId: e.streamId,
  revision: e.revision,
  type: e.type,
  data: e.data,
  metadata: e.metadata,
});

/** Same events, same order, same streams and revisions, nothing twice. */
const expectExactCopy = async (source: EventStore, target: EventStore): Promise<void> => {
  const original = await everything(source);
  const copy = await everything(target);
  expect(copy.map(essence)).toEqual(original.map(essence));
  expect(new Set(copy.map((e) => e.id)).size).toBe(copy.length);
  for (const streamId of new Set(original.map((e) => e.streamId))) {
    expect((await target.readStream(streamId)).map((e) => [e.revision, e.id])).toEqual(
      (await source.readStream(streamId)).map((e) => [e.revision, e.id]),
    );
  }
};

type TargetFactory = (dir: string, name: string) => Promise<EventStore>;
/** The third element: the target answers a repeated append (same ids at the same revision) with success, as KurrentDB does. */
const TARGETS: [string, TargetFactory, boolean][] = [
  ['the in-memory store', async () => new InMemoryEventStore(), false],
  ['a second SQLite store', async (dir, name) => SqliteEventStore.open(join(dir, `${name}.db`)), false],
  ['the KurrentDB adapter over a stand-in server (25.1+)', async () => KurrentDbEventStore.over(new FakeKurrentDbClient()), true],
  [
    'the KurrentDB adapter over a stand-in server without multi-stream append (before 25.1)',
    async () => {
      const client = new FakeKurrentDbClient();
      client.supportsMultiStreamAppend = false;
      return KurrentDbEventStore.over(client);
    },
    true,
  ],
];

describe.each(TARGETS)('migrateEvents to %s', (_, openTarget, dedupesRepeats) => {
  let dir: string;
  let source: SqliteEventStore;
  let checkpoints: SqliteCheckpointStore;
  let target: EventStore;
  let total: number;
  const opened: EventStore[] = [];
  const open = async (name: string): Promise<EventStore> => {
    const store = await openTarget(dir, name);
    opened.push(store);
    return store;
  };
  const run = (options: Partial<MigrationOptions> = {}) =>
    migrateEvents({ source, target, checkpoints, maxEventsPerAppend: 50, readBatchSize: 200, ...options });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'migrate-'));
    source = SqliteEventStore.open(join(dir, 'engine.db'));
    checkpoints = new SqliteCheckpointStore(source.db, source.writeLock);
    await fillSource(source);
    total = (await everything(source)).length;
    target = await open('target');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every event in global order with ids, data, metadata and revisions, and keeps a checkpoint', async () => {
    const result = await run();
    expect(result).toEqual({
      dryRun: false,
      from: 0,
      position: total,
      sourceHead: total,
      events: total,
      alreadyPresent: 0,
      streams: 12,
      complete: true,
      stopped: false,
    });
    expect(await checkpoints.load(MIGRATION_CHECKPOINT)).toBe(total);
    await expectExactCopy(source, target);
    // Nothing left: a second run writes nothing.
    const head = await target.headPosition();
    expect(await run()).toMatchObject({ from: total, events: 0, alreadyPresent: 0, complete: true });
    expect(await target.headPosition()).toBe(head);
    expect((await everything(target)).length).toBe(total);
  });

  it.each([['before-write'], ['after-write']] as const)(
    'resumes after the target fails on the 7th append (%s): an exact copy, nothing twice',
    async (when) => {
      const flaky = new FlakyEventStore(target, 7, when);
      await expect(run({ target: flaky })).rejects.toThrow('connection lost');
      const stoppedAt = await checkpoints.load(MIGRATION_CHECKPOINT);
      expect(stoppedAt).toBeGreaterThan(0);
      expect(stoppedAt).toBeLessThan(total);
      const written = (await everything(target)).length;
      // The 7th call's events are in the target only when the write went through before the failure.
      expect(written > stoppedAt).toBe(when === 'after-write');

      const resumed = await run();
      // The events of the failed call are recognised: by the migration, or by a server that deduplicates the repeat.
      expect(resumed).toMatchObject({
        from: stoppedAt,
        complete: true,
        alreadyPresent: dedupesRepeats ? 0 : written - stoppedAt,
      });
      expect(resumed.events + resumed.alreadyPresent).toBe(total - stoppedAt);
      await expectExactCopy(source, target);
    },
  );

  it('stops at the signal after the append under way, and a rerun finishes the copy', async () => {
    const controller = new AbortController();
    let calls = 0;
    const first = await run({ signal: controller.signal, onProgress: () => ++calls === 3 && controller.abort() });
    expect(first).toMatchObject({ stopped: true, complete: false });
    expect(await checkpoints.load(MIGRATION_CHECKPOINT)).toBe(first.position);
    expect((await everything(target)).length).toBe(first.position);

    const second = await run();
    expect(second).toMatchObject({ from: first.position, events: total - first.position, complete: true, stopped: false });
    await expectExactCopy(source, target);
  });

  it('copies to a target that cannot append to many streams atomically with single appends, in order', async () => {
    const single = new FlakyEventStore(target, -1, 'before-write', false);
    await run({ target: single });
    expect(single.multiAppends).toBe(0);
    expect(single.appends).toBeGreaterThan(total / 50);
    await expectExactCopy(source, target);
  });

  it('reports a target that already holds other data in a stream and overwrites nothing', async () => {
    const intruder = ev('SomethingElse', { from: 'another system' });
    await target.appendToStream('report-r1', [intruder]);
    await expect(run()).rejects.toMatchObject({
      code: 'MIGRATION.CONFLICT',
      details: expect.objectContaining({ streamId: 'report-r1', revision: 0, targetEventId: intruder.id }),
    });
    expect((await target.readStream('report-r1')).map((e) => e.id)).toEqual([intruder.id]);
    // Every source event before report-r1's first one was copied, and nothing after it; the checkpoint is not past it.
    const firstOfStream = (await source.readStream('report-r1'))[0].position;
    expect(await checkpoints.load(MIGRATION_CHECKPOINT)).toBeLessThan(firstOfStream);
    const before = (await everything(source)).filter((e) => e.position < firstOfStream).map((e) => e.id);
    expect((await everything(target)).map((e) => e.id)).toEqual([intruder.id, ...before]);
  });

  it('reports a writer that appended to the target between two runs', async () => {
    const controller = new AbortController();
    await run({ signal: controller.signal, onProgress: () => controller.abort() });
    const revision = await target.streamRevision('unit-u0');
    expect(revision).toBe(0);
    const racer = ev('UnitRenamed', { by: 'someone else' });
    await target.appendToStream('unit-u0', [racer], { expectedRevision: 0 });

    await expect(run()).rejects.toMatchObject({
      code: 'MIGRATION.CONFLICT',
      details: expect.objectContaining({ streamId: 'unit-u0', revision: 1 }),
    });
    expect((await target.readStream('unit-u0')).map((e) => e.id)).toEqual([(await source.readStream('unit-u0'))[0].id, racer.id]);
  });

  it('counts in a dry run and touches neither the target nor the checkpoint', async () => {
    const controller = new AbortController();
    const first = await run({ signal: controller.signal, onProgress: () => controller.abort() });
    const dry = await migrateEvents({ source, checkpoints, dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      from: first.position,
      position: total,
      events: total - first.position,
      complete: true,
    });
    const rest = (await everything(source)).filter((e) => e.position > first.position);
    expect(dry.streams).toBe(new Set(rest.map((e) => e.streamId)).size);
    expect(await checkpoints.load(MIGRATION_CHECKPOINT)).toBe(first.position);
    expect((await everything(target)).length).toBe(first.position);
  });

  it('refuses a checkpoint that another target holds, and copies everything again with restart', async () => {
    await run();
    const other = await open('other');
    await expect(run({ target: other })).rejects.toMatchObject({ code: 'MIGRATION.CHECKPOINT_NOT_IN_TARGET' });
    expect(await other.headPosition()).toBe(0);

    expect(await run({ target: other, restart: true })).toMatchObject({ from: 0, events: total, complete: true });
    await expectExactCopy(source, other);
    // Restarting against a complete copy recognises every event and appends none.
    const again = await run({ restart: true });
    expect(again).toMatchObject({ complete: true });
    expect(again.events + again.alreadyPresent).toBe(total);
    expect(again.alreadyPresent).toBe(dedupesRepeats ? 0 : total);
    await expectExactCopy(source, target);
  });

  it('copies only what was written since the last run (the engine kept writing)', async () => {
    await run();
    await fillSource(source, 3);
    const grown = (await everything(source)).length;
    const second = await run();
    expect(second).toMatchObject({ from: total, position: grown, events: grown - total, alreadyPresent: 0, complete: true });
    await expectExactCopy(source, target);
  });

  it('verifies a copy event by event and maps a checkpoint to the target', async () => {
    const controller = new AbortController();
    await run({ signal: controller.signal, onProgress: () => controller.abort() });
    // Another writer's event in the middle of the copy (a shared server) is counted, not failed.
    await target.appendToStream('other-x1', [ev('Foreign', {})]);
    await run();
    expect(await verifyCopy(source, target)).toEqual({ ok: true, matched: total, different: 0, missing: 0, foreign: 1 });

    const [, second] = await source.readStream('report-r2');
    const translated = await translatePosition(source, target, second.position);
    expect(translated).toBe((await target.readStream('report-r2'))[1].position);
    expect(translated).not.toBe(second.position);
    expect(await translatePosition(source, target, total + 1)).toBeUndefined();
  });
});

describe('verifyCopy', () => {
  it('finds an event that differs and one that is missing or out of order', async () => {
    const source = new InMemoryEventStore();
    await fillSource(source, 2);
    const events = await everything(source);
    const tampered = new InMemoryEventStore();
    for (const [i, e] of events.entries()) {
      if (i === events.length - 1) break;
      const metadata = i === 3 ? { ...e.metadata, occurredAt: '2020-01-01T00:00:00.000Z' } : e.metadata;
      await tampered.appendToStream(e.streamId, [{ id: e.id, type: e.type, data: e.data, metadata }]);
    }
    const result = await verifyCopy(source, tampered);
    expect(result).toMatchObject({ ok: false, matched: events.length - 2, different: 1, missing: 1, foreign: 0 });
    expect(result.firstProblem).toContain(events[3].id);
  });
});
