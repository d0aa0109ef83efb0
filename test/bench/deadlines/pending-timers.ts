/**
 * (2) Many pending timers: a store whose `rm_timers` holds `pending` armed timers far in the future
 * plus a few thousand real obligations due now. The worker's memory is measured in a child process
 * per run (pending-timers.child.ts), so one run's heap and page cache are not billed to the next.
 */
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, WriteLock } from '@app/eventstore';
import { ALL_PROJECTIONS } from '@app/read-models';
import { Projector, SqliteReadStore } from '@app/readstore';
import { claimStatement, TIMERS_TABLE } from '@app/reporting';
import { World, smallHierarchy } from '../commands/world';
import type { TempFiles } from '../harness';

const START = new Date('2026-03-01T02:00:00Z');
const DUE = '2026-03-20T17:00:00+07:00';
/** The clock of the measured runs: a minute past the due instant, before the first escalation. */
export const AFTER_DUE = new Date(Date.parse(DUE) + 60_000);
/** Far-future timers fire from here on, one every 30 s: 1,000,000 of them span about a year. */
const FUTURE = Date.parse('2027-01-01T01:00:00Z');

/** `due` communes with an obligation each (overdue timer due now, two escalations later), then `pending` timer rows inserted directly. */
export const seedPendingTimers = async (
  file: string,
  due: number,
  pending: number,
): Promise<{ rows: number; fillMs: number }> => {
  const world = new World(file, START);
  await world.units.importCsv(world.as('admin', 'TW', ['admin']), smallHierarchy(due).csv, '2026-01-01');
  await world.directives.draft(world.as('officer', 'P', ['officer']), {
    directiveId: 'd1',
    number: '01/KH',
    kind: 'plan',
    title: 'Kế hoạch thử',
    issuerUnitId: 'P',
    issuingBody: 'Ban Thường vụ',
    documentDate: '2026-01-01',
    basisDirectiveId: null,
    period: { from: '2026-01-01', to: '2026-12-31' },
    targets: [
      { targetId: 't1', code: '(1)', title: 'Hoạt động', shape: 'count_with_floor', measuredAtLevel: 'commune', value: 2 },
    ],
    schedule: { cadence: 'on_request', reminderOffsetsDays: [] },
  });
  await world.directory.refresh();
  await world.directives.issue(world.as('leader', 'P', ['leader']), 'd1', {
    signedBy: 'Chủ tịch',
    scope: { level: 'commune', underUnitId: 'P' },
  });
  await world.reporting.openPeriod(world.as('officer', 'P', ['officer']), 'd1', {
    period: '2026-03',
    window: { from: '2026-02-15', to: '2026-03-14' },
    due: DUE,
  });
  await world.close();

  // Every read model brought to the head as the live worker does (not with a rebuild), so the worker starts with nothing to catch up.
  const lock = new WriteLock();
  const events = SqliteEventStore.open(file, { writeLock: lock });
  const readStore = new SqliteReadStore(file, lock);
  const projector = new Projector(readStore, ALL_PROJECTIONS);
  await projector.prepare();
  for (const projection of ALL_PROJECTIONS) {
    for (let after = 0; ;) {
      const batch = await events.readAll({ after, maxCount: 1000, filter: projection.filter });
      if (batch.length === 0) break;
      await projector.project(projection, batch);
      after = batch[batch.length - 1].position;
    }
  }
  await readStore.close();
  await events.close();

  // Valid rows of obligations that exist nowhere else: they never fall due during the run.
  const started = Date.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const columns =
    '(timer_id, stream_id, directive_id, unit_id, period, kind, step, days_before, to_unit_id, fire_at, armed, claimed_until, attempts)';
  const perStatement = 500;
  const insert = db.prepare(
    `INSERT INTO ${TIMERS_TABLE} ${columns} VALUES ${new Array(perStatement).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 0)').join(', ')}`,
  );
  const rowOf = (i: number): unknown[] => {
    const stream = `report-future${i % 50}_U${String(i).padStart(7, '0')}_2027-01`;
    const kinds = [
      ['overdue', 0, null, null],
      ['reminder', 1, 3, null],
      ['escalation', 1, null, 'P'],
    ] as const;
    const [kind, step, daysBefore, toUnitId] = kinds[i % 3];
    return [
      `${stream}|${kind}|${step}`,
      stream,
      `future${i % 50}`,
      `U${i}`,
      '2027-01',
      kind,
      step,
      daysBefore,
      toUnitId,
      FUTURE + i * 30_000,
    ];
  };
  const fill = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += perStatement) {
      const values: unknown[] = [];
      for (let k = i; k < i + perStatement; k++) values.push(...rowOf(k));
      insert.run(...values);
    }
  });
  for (let i = 0; i < pending; i += 100_000) fill(i, Math.min(pending, i + 100_000));
  const rows = db.prepare(`SELECT count(*) FROM ${TIMERS_TABLE}`).pluck().get() as number;
  db.close();
  return { rows, fillMs: Date.now() - started };
};

/** The claim's statement as `TimerClaims.claimObligationTimers` runs it (timer-claims.ts), with SQLite's plan. */
export const claimQueryPlan = async (file: string, now: number): Promise<{ sql: string; plan: string[] }[]> => {
  const readStore = new SqliteReadStore(file);
  const raw = new Database(file, { readonly: true });
  try {
    // The one statement the scheduler runs (its bounded SELECT of due timers is a subquery: the plan shows both).
    const update = claimStatement(readStore.db, 'sqlite', now, 500, 60_000);
    return [update.compile()].map(({ sql, parameters }) => ({
      sql,
      plan: (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[]).map((r) => r.detail),
    }));
  } finally {
    raw.close();
    await readStore.close();
  }
};

export type WorkerMemory = Readonly<{
  pending: number;
  due: number;
  rssBeforeMb: number;
  rssStoresOpenMb: number;
  rssAfterStartMb: number;
  rssAfterPassesMb: number;
  peakRssMb: number;
  heapAfterPassesMb: number;
  startMs: number;
  passes: number;
  fired: number;
  overdueEvents: number;
  timersLeft: number;
  claimMsMedian: number;
  claimMsMax: number;
}>;

/** Copies the seeded file and measures one worker start and its passes in a fresh node process. */
export const measureWorker = async (files: TempFiles, seeded: string, pending: number, due: number): Promise<WorkerMemory> => {
  const file = files.file(`worker-${pending}`);
  copyFileSync(seeded, file);
  const child = spawn(
    process.execPath,
    [...process.execArgv, join(__dirname, 'pending-timers.child.ts'), file, AFTER_DUE.toISOString(), String(due)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  files.remove(file);
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (code !== 0 || !line) throw new Error(`worker child exited with ${code}:\n${out}`);
  return { pending, ...(JSON.parse(line.slice('RESULT '.length)) as Omit<WorkerMemory, 'pending'>) };
};
