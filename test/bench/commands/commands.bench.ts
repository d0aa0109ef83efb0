// The command path in-process (look-ups, authorization, decide, append), against raw SQLite
// single-event commits in the same run; and issuing one directive to 100,000 units.
// Run: npm run bench:commands [-- --quick]
import { randomUUID } from 'node:crypto';
import { generateNationalHierarchyCsv } from '@app/org';
import { compare, formatMs, formatOps, formatPercent, isQuick, nowMs, pairedRatios, printTable, TempFiles } from '../harness';
import { issueSimpleDirective, rawSingleInsert, smallHierarchy, World } from './world';

const quick = isQuick();
const files = new TempFiles('bench-commands-');

/** A hierarchy with `communes` communes, a directive issued to all of them and a period opened: the state a month's reports land in. */
const seededWorld = async (file: string, communes: number): Promise<World> => {
  const world = new World(file);
  const { csv } = smallHierarchy(communes);
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
  return world;
};

const commandPath = async () => {
  const reports = quick ? 500 : 2000;
  const rounds = quick ? 3 : 5;

  const results = await compare({
    title: `a. command path: ${reports} report submissions, each its own command and commit`,
    rounds,
    warmupRounds: 1,
    variants: [
      {
        name: 'command path',
        prepare: async () => ({
          world: await seededWorld(files.file('cmd'), reports),
          communes: smallHierarchy(reports).communeIds,
        }),
        run: async (ctx: unknown) => {
          const { world, communes } = ctx as { world: World; communes: string[] };
          for (const unitId of communes) {
            await world.reporting.submit(
              world.as(`officer.${unitId}`, unitId, ['officer']),
              { directiveId: 'd1', unitId, period: '2026-03' },
              {
                values: { t1: { kind: 'number', value: 3 } },
                narrative: { results: 'Đã tổ chức 3 hoạt động', difficulties: '', proposals: '' },
              },
            );
          }
          return { ops: communes.length };
        },
        cleanup: async (ctx: unknown) => (ctx as { world: World }).world.close(),
      },
      {
        name: 'raw SQLite',
        // The same seeded file, so both sides write into a store of the same size and shape.
        prepare: async () => {
          const file = files.file('raw');
          await (await seededWorld(file, reports)).close();
          return { db: rawSingleInsert(file), file };
        },
        run: (ctx: unknown) => {
          const { db } = ctx as { db: ReturnType<typeof rawSingleInsert> };
          const insert = db.prepare(
            'INSERT INTO events (event_id, stream_id, revision, category, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          );
          for (let i = 0; i < reports; i++) {
            const id = randomUUID();
            const data = JSON.stringify({
              version: 1,
              values: { t1: { kind: 'number', value: 3 } },
              narrative: { results: 'Đã tổ chức 3 hoạt động', difficulties: '', proposals: '' },
              submittedAt: '2026-03-01T02:00:00.000Z',
              onTime: true,
            });
            const metadata = JSON.stringify({
              eventId: id,
              actor: { userId: 'u', unitId: 'C' },
              occurredAt: '2026-03-01T02:00:00.000Z',
              correlationId: 'bench',
              causationId: 'bench',
              schemaVersion: 1,
              commandId: id,
            });
            insert.run(
              id,
              `report-d1_C${String(i + 1).padStart(5, '0')}_2026-03`,
              1,
              'report',
              'ReportSubmitted',
              data,
              metadata,
              Date.now(),
            );
          }
          return { ops: reports };
        },
        cleanup: (ctx: unknown) => (ctx as { db: ReturnType<typeof rawSingleInsert> }).db.close(),
      },
    ] as never,
  });
  const port = results.get('command path')!;
  const raw = results.get('raw SQLite')!;
  return { port, raw, paired: pairedRatios(port, raw) };
};

const fanOut = async () => {
  const branchesPerCommune = quick ? 3 : 31;
  const world = new World(files.file('fanout'));
  const csv = generateNationalHierarchyCsv({ branchesPerCommune });
  const lines = csv.trim().split('\n').length - 1;
  let t0 = nowMs();
  await world.units.importCsv(world.as('admin', 'TW', ['admin']), csv, '2026-01-01');
  const importMs = nowMs() - t0;
  await issueSimpleDirective(world, 'national', 'TW', 'branch');
  await world.directory.refresh();
  t0 = nowMs();
  const issued = await world.directives.issue(world.as('leader', 'TW', ['leader']), 'national', {
    signedBy: 'Chủ tịch',
    scope: { level: 'branch', underUnitId: 'TW' },
  });
  const issueMs = nowMs() - t0;
  t0 = nowMs();
  const opened = await world.reporting.openPeriod(world.as('officer', 'TW', ['officer']), 'national', {
    period: '2026-03',
    window: { from: '2026-02-15', to: '2026-03-14' },
    due: '2026-03-20T17:00:00+07:00',
  });
  const openMs = nowMs() - t0;
  const head = await world.store.headPosition();
  await world.close();
  return { lines, importMs, assignees: issued.assignees, issueMs, obligations: opened.streams, openMs, head };
};

const main = async () => {
  const started = nowMs();
  const a = await commandPath();
  const b = await fanOut();
  console.log('\n== Summary');
  printTable(
    ['measurement', 'value', 'baseline', 'ratio (median, min-max)', 'target', 'met?'],
    [
      [
        'a. command path (submit report) vs raw single commits',
        `${formatOps(a.port.medianRate)}/s`,
        `${formatOps(a.raw.medianRate)}/s`,
        `${formatPercent(a.paired.median)} (${formatPercent(a.paired.min)}-${formatPercent(a.paired.max)})`,
        '>= 50%',
        a.paired.median >= 0.5 ? 'yes' : 'NO',
      ],
      [`b1. import ${b.lines.toLocaleString('en-US')} units from CSV (one batch)`, formatMs(b.importMs), '', '', '', ''],
      [
        `b2. issue one directive to ${b.assignees.toLocaleString('en-US')} units`,
        formatMs(b.issueMs),
        '',
        '',
        '< 5 s',
        b.issueMs < 5000 ? 'yes' : 'NO',
      ],
      [`b3. open a period: ${b.obligations.toLocaleString('en-US')} obligations`, formatMs(b.openMs), '', '', '', ''],
    ],
  );
  console.log(`(store head after b: ${b.head.toLocaleString('en-US')} events; total ${formatMs(nowMs() - started)})`);
  files.dispose();
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
