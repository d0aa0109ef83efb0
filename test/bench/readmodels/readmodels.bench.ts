// Read models: (a) a full rebuild of every projection over a large log against the raw read rate
// of the same store, with peak memory; (b) the status of a directive at random nodes of a
// ~100,000-unit tree (p50/p99); (c) whether the projections keep up with the command path.
// Run: npm run bench:readmodels [-- --quick]   (full: ~10 million events; takes several minutes)
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { type AppendRequest, SqliteEventStore, WriteLock } from '@app/eventstore';
import { generateNationalHierarchyCsv } from '@app/org';
import { ALL_PROJECTIONS } from '@app/read-models';
import { Projector, SqliteReadStore } from '@app/readstore';
import { directiveStatus } from '@app/reporting';
import { formatMs, formatOps, formatPercent, isQuick, nowMs, printTable, TempFiles } from '../harness';
import { CheckpointedSubscription } from '@app/eventstore';
import { issueSimpleDirective, smallHierarchy, World } from '../commands/world';

const quick = isQuick();
const BRANCHES = quick ? 3 : 30;
const DIRECTIVES = quick ? 2 : 5;
const PERIODS = quick ? 2 : 6;
const files = new TempFiles('bench-readmodels-');
const periodKey = (p: number) => `2026-${String(p + 1).padStart(2, '0')}`;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

const meta = (actor: string) => {
  const id = randomUUID();
  return {
    id,
    metadata: {
      eventId: id,
      actor: { userId: `officer.${actor}`, unitId: actor },
      occurredAt: '2026-03-01T02:00:00.000Z',
      correlationId: 'bench',
      causationId: 'bench',
      schemaVersion: 1,
    },
  };
};

/** Units, directives and periods through the application services; submissions and approvals appended in batches. */
const generate = async (file: string, lock: WriteLock) => {
  const world = new World(file, new Date('2026-03-01T02:00:00Z'));
  await world.units.importCsv(
    world.as('admin', 'TW', ['admin']),
    generateNationalHierarchyCsv({ branchesPerCommune: BRANCHES }),
    '2026-01-01',
  );
  await world.directory.refresh();
  for (let d = 0; d < DIRECTIVES; d++) {
    const directiveId = `nd${d}`;
    await world.directives.draft(world.as('officer', 'TW', ['officer']), {
      directiveId,
      number: `${d + 1}/KH-ĐCT`,
      kind: 'plan',
      title: `Kế hoạch ${d + 1}`,
      issuerUnitId: 'TW',
      issuingBody: 'Đoàn Chủ tịch',
      documentDate: '2026-01-01',
      basisDirectiveId: null,
      period: { from: '2026-01-01', to: '2026-12-31' },
      targets: [
        { targetId: 't1', code: '(1)', title: 'Hoạt động', shape: 'count_with_floor', measuredAtLevel: 'branch', value: 2 },
        { targetId: 't2', code: '(2)', title: 'Tỷ lệ tập hợp', shape: 'rate', measuredAtLevel: 'branch', value: 0.85 },
      ],
      schedule: { cadence: 'monthly' },
    });
    await world.directives.issue(world.as('leader', 'TW', ['leader']), directiveId, {
      signedBy: 'Chủ tịch',
      scope: { level: 'branch', underUnitId: 'TW' },
    });
    const branches = world.directory.activeDescendantsAtLevel('TW', 'branch');
    for (let p = 0; p < PERIODS; p++) {
      const period = periodKey(p);
      await world.reporting.openPeriod(world.as('officer', 'TW', ['officer']), directiveId, {
        period,
        window: { from: '2026-01-15', to: '2026-02-14' },
        due: '2026-03-20T17:00:00+07:00',
      });
      for (let i = 0; i < branches.length; i += 5000) {
        const chunk = branches.slice(i, i + 5000);
        const requests: AppendRequest[] = chunk.map((unitId, k) => {
          const a = meta(unitId);
          const b = meta(world.directory.get(unitId)!.parentId!);
          return {
            streamId: `report-${directiveId}_${unitId}_${period}`,
            expectedRevision: 0,
            events: [
              {
                id: a.id,
                type: 'ReportSubmitted',
                data: {
                  version: 1,
                  values: {
                    t1: { kind: 'number', value: (k % 5) + 1 },
                    t2: { kind: 'ratio', numerator: 80 + (k % 20), denominator: 100 },
                  },
                  narrative: { results: 'Hoàn thành', difficulties: '', proposals: '' },
                  submittedAt: '2026-03-01T02:00:00.000Z',
                  onTime: true,
                },
                metadata: a.metadata,
              },
              { id: b.id, type: 'ReportApproved', data: { version: 1 }, metadata: b.metadata },
            ],
          };
        });
        await world.store.appendToStreams(requests);
      }
    }
  }
  const head = await world.store.headPosition();
  await world.close();
  void lock;
  return head;
};

const rawRead = (file: string): { events: number; ms: number } => {
  const db = new Database(file, { readonly: true });
  const select = db
    .prepare(
      'SELECT position, event_id, stream_id, revision, type, data, metadata, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT 5000',
    )
    .raw();
  const started = nowMs();
  let after = 0;
  let events = 0;
  for (;;) {
    const rows = select.all(after) as unknown[][];
    if (rows.length === 0) break;
    for (const row of rows) {
      JSON.parse(row[5] as string);
      JSON.parse(row[6] as string);
    }
    events += rows.length;
    after = rows[rows.length - 1][0] as number;
  }
  const ms = nowMs() - started;
  db.close();
  return { events, ms };
};

/** (c) The command path writing while every projection follows it live in the same process. */
const keepUp = async () => {
  const communes = quick ? 2000 : 8000;
  const file = files.file('keepup');
  const world = new World(file);
  const { csv, communeIds } = smallHierarchy(communes);
  await world.units.importCsv(world.as('admin', 'TW', ['admin']), csv, '2026-01-01');
  await issueSimpleDirective(world, 'd1');
  await world.directives.issue(world.as('leader', 'P', ['leader']), 'd1', {
    signedBy: 'Chủ tịch',
    scope: { level: 'commune', underUnitId: 'P' },
  });
  await world.reporting.openPeriod(world.as('officer', 'P', ['officer']), 'd1', {
    period: '2026-03',
    window: { from: '2026-02-15', to: '2026-03-14' },
    due: '2026-03-20T17:00:00+07:00',
  });
  const readStore = new SqliteReadStore(file, world.store.writeLock);
  const projector = new Projector(readStore, ALL_PROJECTIONS);
  await projector.prepare();
  for (const projection of ALL_PROJECTIONS) await projector.rebuild(projection, world.store);
  const subscriptions = ALL_PROJECTIONS.map(
    (projection) =>
      new CheckpointedSubscription({
        name: projection.name,
        store: world.store,
        checkpoints: projector.checkpoints(),
        filter: projection.filter,
        batchSize: 1000,
        handlerStoresCheckpoint: true,
        handle: async (batch) => void (await projector.project(projection, batch)),
      }),
  );
  subscriptions.forEach((s) => s.start());
  const lagNow = async () => {
    const head = await world.store.headPosition();
    // A projection whose filter skips the newest events is caught up when nothing of its own is pending.
    const lags = await Promise.all(
      ALL_PROJECTIONS.map(async (projection, i) => {
        const [next] = await world.store.readAll({ after: subscriptions[i].position, maxCount: 1, filter: projection.filter });
        return next ? head - subscriptions[i].position : 0;
      }),
    );
    return Math.max(...lags);
  };
  let maxLag = 0;
  let sampling = true;
  const sampling$ = (async () => {
    while (sampling) {
      maxLag = Math.max(maxLag, await lagNow());
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const started = nowMs();
  for (const unitId of communeIds) {
    await world.reporting.submit(
      world.as(`officer.${unitId}`, unitId, ['officer']),
      { directiveId: 'd1', unitId, period: '2026-03' },
      { values: { t1: { kind: 'number', value: 3 } }, narrative: { results: 'x', difficulties: '', proposals: '' } },
    );
  }
  const writeMs = nowMs() - started;
  const drainStarted = nowMs();
  while ((await lagNow()) > 0) await new Promise((r) => setTimeout(r, 10));
  const drainMs = nowMs() - drainStarted;
  sampling = false;
  await sampling$;
  await Promise.all(subscriptions.map((s) => s.stop()));
  await readStore.close();
  await world.close();
  return { commands: communeIds.length, rate: (communeIds.length * 1000) / writeMs, maxLag, drainMs };
};

const main = async () => {
  const file = files.file('log');
  const lock = new WriteLock();
  let t = nowMs();
  const head = await generate(file, lock);
  console.log(`generated ${head.toLocaleString('en-US')} events in ${formatMs(nowMs() - t)}`);

  const raw = rawRead(file);
  const rawRate = (raw.events * 1000) / raw.ms;
  console.log(`raw read: ${formatOps(rawRate)} events/s`);

  const events = SqliteEventStore.open(file, { writeLock: lock });
  const readStore = new SqliteReadStore(file, lock);
  const projector = new Projector(readStore, ALL_PROJECTIONS);
  await projector.prepare();
  peakRss = process.memoryUsage().rss;
  const perProjection: string[][] = [];
  t = nowMs();
  for (const projection of ALL_PROJECTIONS) {
    const started = nowMs();
    const result = await projector.rebuild(projection, events, undefined, 5000);
    const ms = nowMs() - started;
    perProjection.push([
      projection.name,
      result.events.toLocaleString('en-US'),
      formatMs(ms),
      `${formatOps((result.events * 1000) / ms)}/s`,
    ]);
    console.log(`  rebuilt ${projection.name}: ${result.events.toLocaleString('en-US')} events in ${formatMs(ms)}`);
  }
  const rebuildMs = nowMs() - t;
  const rebuildRate = (head * 1000) / rebuildMs;

  // (b) status at random nodes of the tree, from the rebuilt read models.
  const units = new Database(file, { readonly: true });
  const nodes = units
    .prepare("SELECT unit_id FROM rm_units WHERE level IN ('central','province','commune','branch') ORDER BY random() LIMIT 2000")
    .pluck()
    .all() as string[];
  units.close();
  const latencies: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const unitId = i % 50 === 0 ? 'TW' : nodes[i % nodes.length];
    const started = nowMs();
    await directiveStatus(readStore.db, {
      directiveId: 'nd0',
      unitId,
      period: periodKey(0),
      include: 'approved',
      children: false,
    });
    latencies.push(nowMs() - started);
  }
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const rootStarted = nowMs();
  const root = await directiveStatus(readStore.db, {
    directiveId: 'nd0',
    unitId: 'TW',
    period: periodKey(0),
    include: 'approved',
    children: true,
  });
  const rootMs = nowMs() - rootStarted;

  clearInterval(sampler);
  await readStore.close();
  await events.close();

  const c = await keepUp();

  console.log('\n== Rebuild per projection');
  printTable(['projection', 'events', 'time', 'rate'], perProjection);
  console.log('\n== Summary');
  printTable(
    ['measurement', 'value', 'baseline', 'ratio', 'target', 'met?'],
    [
      [
        `a. full rebuild of ${head.toLocaleString('en-US')} events, all ${ALL_PROJECTIONS.length} projections`,
        `${formatOps(rebuildRate)} events/s (${formatMs(rebuildMs)})`,
        `raw read ${formatOps(rawRate)}/s`,
        formatPercent(rebuildRate / rawRate),
        '>= 50%',
        rebuildRate / rawRate >= 0.5 ? 'yes' : 'NO',
      ],
      ['a. peak RSS during the rebuild', `${Math.round(peakRss / 1e6)} MB`, '', '', '', ''],
      [
        `b. directive status at a random node (3,000 queries; ${root.levels?.length ?? 0} levels at the root)`,
        `p50 ${p(0.5).toFixed(2)} ms, p99 ${p(0.99).toFixed(2)} ms`,
        '',
        '',
        'p99 < 10 ms',
        p(0.99) < 10 ? 'yes' : 'NO',
      ],
      ['b. root with drill-down to its 34 children', formatMs(rootMs), '', '', '', ''],
      [
        `c. ${c.commands.toLocaleString('en-US')} report commands while all projections follow live`,
        `${formatOps(c.rate)} commands/s`,
        '',
        `max lag ${c.maxLag} events`,
        'keeps up',
        `drained ${formatMs(c.drainMs)} after the last command`,
      ],
    ],
  );
  files.dispose();
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
