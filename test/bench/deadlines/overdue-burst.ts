/**
 * (1) ~100,000 obligations falling due at the same instant, in the embedded engine (API and worker in
 * one process over one SQLite file, as `npm start` runs it): the time until every `ReportOverdue`
 * is recorded, and the latency of a status query over HTTP meanwhile, against the same query idle.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { signToken } from '@app/auth';
import { CommandHandler } from '@app/commanding';
import { loadConfig } from '@app/config';
import { EVENT_STORE, type SqliteEventStore } from '@app/eventstore';
import { generateNationalHierarchyCsv } from '@app/org';
import { ManualClock } from '@app/platform';
import { ALL_PROJECTIONS, Consistency } from '@app/read-models';
import { Projector } from '@app/readstore';
import { type ReportingObligationOpened, ReportingService } from '@app/reporting';
import { createHttpApp } from '../../../apps/api/src/http-app';
import { EngineModule } from '../../../apps/engine/src/engine.module';
import { World } from '../commands/world';
import { nowMs, type TempFiles } from '../harness';
import { between, epochNow, type LatencySummary, type Sample, startLoad, summarize } from './status-load';
import { TimedScheduler } from './timed-scheduler';

const SECRET = 'bench-secret-0123456789abcdef0123456789';
export const DIRECTIVE = 'national';
const PERIOD = '2026-03';
const DUE = '2026-03-20T17:00:00+07:00';
const START = new Date('2026-03-01T02:00:00Z');
/** The status query of the benchmark: a province (Hà Nội, 126 communes), its own roll-up rows. */
export const STATUS_PATH = `/directives/${DIRECTIVE}/status?period=${PERIOD}&unitId=HNI`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The national hierarchy, one directive issued to every branch (reporting on request), one period opened: returns the obligations. */
const seed = async (file: string, branchesPerCommune: number): Promise<number> => {
  const world = new World(file, START);
  await world.units.importCsv(
    world.as('admin', 'TW', ['admin']),
    generateNationalHierarchyCsv({ branchesPerCommune }),
    '2026-01-01',
  );
  await world.directives.draft(world.as('officer', 'TW', ['officer']), {
    directiveId: DIRECTIVE,
    number: '05/KH-ĐCT',
    kind: 'plan',
    title: 'Kế hoạch kiểm tra, giám sát',
    issuerUnitId: 'TW',
    issuingBody: 'Đoàn Chủ tịch',
    documentDate: '2026-01-01',
    basisDirectiveId: null,
    period: { from: '2026-01-01', to: '2026-12-31' },
    targets: [
      { targetId: 't1', code: '(1)', title: 'Hoạt động', shape: 'count_with_floor', measuredAtLevel: 'branch', value: 2 },
      { targetId: 't2', code: '(2)', title: 'Tỷ lệ tập hợp', shape: 'rate', measuredAtLevel: 'branch', value: 0.85 },
    ],
    // On request: no period opens on schedule while the benchmark moves the clock. Default reminders (7, 3, 1 working days before) and escalations.
    schedule: { cadence: 'on_request' },
  });
  await world.directory.refresh();
  await world.directives.issue(world.as('leader', 'TW', ['leader']), DIRECTIVE, {
    signedBy: 'Chủ tịch',
    scope: { level: 'branch', underUnitId: 'TW' },
  });
  const opened = await world.reporting.openPeriod(world.as('officer', 'TW', ['officer']), DIRECTIVE, {
    period: PERIOD,
    window: { from: '2026-02-15', to: '2026-03-14' },
    due: DUE,
  });
  await world.close();
  return opened.streams;
};

type Engine = Readonly<{
  app: NestFastifyApplication;
  clock: ManualClock;
  url: string;
  store: SqliteEventStore;
  close: () => Promise<void>;
}>;

/** The embedded engine over `dataDir` with a clock the benchmark moves, listening on a free port; its own scheduler is off. */
const startEngine = async (dataDir: string, now: Date): Promise<Engine> => {
  const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET, LOG_LEVEL: 'silent', SCHEDULER: 'off' });
  const clock = new ManualClock(now);
  const logger = pino({ level: 'silent' });
  const app = await createHttpApp(EngineModule.forRoot(config, logger, clock), logger);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, clock, url, store: app.get<SqliteEventStore>(EVENT_STORE), close: () => app.close() };
};

/**
 * The API alone in its own process over the same file (apps/api/src/main.ts, as `npm run start:api`
 * runs it in production next to a worker), for comparison with the embedded engine.
 */
const startApiProcess = (dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, join(process.cwd(), 'apps/api/src/main.ts')], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', JWT_SECRET: SECRET, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((done) => child.once('close', () => done()));
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.includes('"api listening"'));
      if (!line) return;
      buffer = '';
      resolve({
        url: (JSON.parse(line) as { url: string }).url.replace('[::1]', '127.0.0.1'),
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`the api process exited with ${code}`)));
  });

/** Waits until every projection has processed the log up to its head; returns the wait in ms. */
const settle = async (engine: Engine, timeoutMs = 30 * 60_000): Promise<number> => {
  const started = nowMs();
  const consistency = engine.app.get(Consistency);
  const head = await engine.store.headPosition();
  while (!(await Promise.all(ALL_PROJECTIONS.map((p) => consistency.caughtUp(p, head)))).every(Boolean)) {
    if (nowMs() - started > timeoutMs) throw new Error(`projections did not reach ${head} within ${timeoutMs} ms`);
    await sleep(20);
  }
  return nowMs() - started;
};

const schedulerOf = (engine: Engine, batchSize: number) =>
  new TimedScheduler(
    engine.app.get(Projector).store,
    engine.app.get(CommandHandler),
    engine.app.get(ReportingService),
    () => engine.clock.now(),
    { batchSize },
  );

const countEvents = (engine: Engine, type: string): number =>
  engine.store.db.prepare('SELECT count(*) FROM events WHERE type = ?').pluck().get(type) as number;

export type Snapshot = Readonly<{
  file: string;
  obligations: number;
  /** The clock of the snapshot: after the last reminder, before the due instant. */
  beforeDue: Date;
  afterDue: Date;
  seedMs: number;
  /** Starting the engine on the seeded file until every projection has reached the head. */
  catchUpMs: number;
  /** The longest the event loop went without a turn meanwhile. */
  catchUpStallMs: number;
  reminderBursts: ReadonlyArray<{ events: number; ms: number }>;
  head: number;
}>;

/**
 * Seeds the world, lets the engine's projections catch up from zero, then fires the three reminder
 * instants one after the other (as the days pass), so the snapshot holds what an engine holds the
 * day before the deadline. Each variant starts from a copy of it.
 */
export const buildSnapshot = async (files: TempFiles, branchesPerCommune: number): Promise<Snapshot> => {
  const dataDir = join(files.dir, 'snapshot');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'engine.db');
  let started = nowMs();
  const obligations = await seed(file, branchesPerCommune);
  const seedMs = nowMs() - started;
  console.log(`  seeded ${obligations.toLocaleString('en-US')} obligations in ${(seedMs / 1000).toFixed(1)} s`);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  started = nowMs();
  const engine = await startEngine(dataDir, START);
  await settle(engine);
  const catchUpMs = nowMs() - started;
  loop.disable();
  const catchUpStallMs = loop.max / 1e6;
  console.log(
    `  engine started and projections caught up from zero in ${(catchUpMs / 1000).toFixed(1)} s; longest event-loop stall ${(catchUpStallMs / 1000).toFixed(1)} s`,
  );
  const [first] = await engine.store.readAll({ filter: { eventTypes: ['ReportingObligationOpened'] }, maxCount: 1 });
  const { due, followUps } = (first as unknown as ReportingObligationOpened).data;
  const reminders = [...(followUps?.reminders ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  const reminderBursts: { events: number; ms: number }[] = [];
  const scheduler = schedulerOf(engine, 500);
  for (const reminder of reminders) {
    engine.clock.set(new Date(Date.parse(reminder.at) + 60_000));
    started = nowMs();
    const all = scheduler.writes(obligations, 15 * 60_000);
    scheduler.start();
    if (!(await all)) throw new Error(`reminder step ${reminder.step}: only ${scheduler.written} events written`);
    const ms = nowMs() - started;
    await scheduler.stop();
    await settle(engine);
    reminderBursts.push({ events: obligations, ms });
    console.log(`  reminder step ${reminder.step}: ${obligations.toLocaleString('en-US')} events in ${(ms / 1000).toFixed(1)} s`);
  }
  const head = await engine.store.headPosition();
  const beforeDue = engine.clock.now();
  await engine.close();
  const afterDue = new Date(Date.parse(due) + 60_000);
  if (beforeDue >= new Date(due)) throw new Error('the last reminder is after the due instant');
  return { file, obligations, beforeDue, afterDue, seedMs, catchUpMs, catchUpStallMs, reminderBursts, head };
};

export type BurstResult = Readonly<{
  batchSize: number;
  /** Where the status queries went: the embedded engine itself, or an API process of its own. */
  api: 'embedded' | 'own process';
  obligations: number;
  overdueEvents: number;
  overdueInStatus: number;
  /** From the scheduler's start, the clock past the due instant, to the append of the last ReportOverdue. */
  recordMs: number;
  /** From the same start until every projection has processed those events. */
  projectedMs: number;
  passes: number;
  maxPassMs: number;
  /** Time spent inside the scheduler's passes, and inside their claims. */
  passTotalMs: number;
  claimTotalMs: number;
  maxClaimMs: number;
  /** The engine's event-loop delay while the events were recorded: p99 and max. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  refused: number;
  idle: LatencySummary;
  busy: LatencySummary;
  drain: LatencySummary;
  idleAfter: LatencySummary;
}>;

/** One variant: a fresh copy of the snapshot, the engine started on it, idle load, the burst under load, idle load again. */
export const runBurst = async (
  files: TempFiles,
  snapshot: Snapshot,
  options: Readonly<{ batchSize: number; ratePerSecond: number; idleSeconds: number; apiProcess: boolean }>,
): Promise<BurstResult> => {
  const dataDir = join(files.dir, `burst-${options.batchSize}-${Date.now()}`);
  mkdirSync(dataDir, { recursive: true });
  for (const suffix of ['', '-wal']) {
    if (existsSync(snapshot.file + suffix)) copyFileSync(snapshot.file + suffix, join(dataDir, `engine.db${suffix}`));
  }
  const engine = await startEngine(dataDir, snapshot.beforeDue);
  const api = options.apiProcess ? await startApiProcess(dataDir) : undefined;
  const url = api?.url ?? engine.url;
  try {
    await settle(engine);
    // The API process reads the system clock; the embedded engine the benchmark's.
    const token = signToken({ userId: 'officer.HNI', unitId: 'HNI', roles: ['officer'], oversight: [] }, SECRET, {
      issuer: 'vwu-engine',
      expiresInSeconds: 30 * 24 * 3600,
      nowSeconds: Math.floor((api ? Date.now() : engine.clock.now().getTime()) / 1000),
    });
    const probe = await fetch(`${url}${STATUS_PATH}`, { headers: { authorization: `Bearer ${token}` } });
    if (probe.status !== 200) throw new Error(`status query answered ${probe.status}: ${await probe.text()}`);
    const load = async (seconds: number) => {
      const running = await startLoad({ url, path: STATUS_PATH, token, ratePerSecond: options.ratePerSecond });
      await sleep(seconds * 1000);
      return running.stop();
    };
    await load(1); // warm-up
    const idle = summarize(await load(options.idleSeconds));

    engine.clock.set(snapshot.afterDue);
    const scheduler = schedulerOf(engine, options.batchSize);
    const running = await startLoad({ url, path: STATUS_PATH, token, ratePerSecond: options.ratePerSecond });
    await sleep(200); // the load is on before the first pass
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const from = epochNow();
    const all = scheduler.writes(snapshot.obligations, 15 * 60_000);
    scheduler.start();
    const complete = await all;
    const recorded = epochNow();
    loop.disable();
    await scheduler.stop();
    await settle(engine);
    const projected = epochNow();
    const samples: Sample[] = await running.stop();
    if (!complete)
      console.log(`  WARNING: only ${scheduler.written} of ${snapshot.obligations} overdue events within the time limit`);
    const idleAfter = summarize(await load(options.idleSeconds));

    const status = (await (
      await fetch(`${engine.url}/directives/${DIRECTIVE}/status?period=${PERIOD}&unitId=TW`, {
        headers: {
          authorization: `Bearer ${signToken({ userId: 'chair.TW', unitId: 'TW', roles: ['leader'], oversight: [] }, SECRET, {
            issuer: 'vwu-engine',
            expiresInSeconds: 3600,
            nowSeconds: Math.floor(engine.clock.now().getTime() / 1000),
          })}`,
        },
      })
    ).json()) as { total?: { overdue?: number } };
    return {
      batchSize: options.batchSize,
      api: api ? 'own process' : 'embedded',
      obligations: snapshot.obligations,
      overdueEvents: countEvents(engine, 'ReportOverdue'),
      overdueInStatus: status.total?.overdue ?? -1,
      recordMs: recorded - from,
      projectedMs: projected - from,
      passes: scheduler.passMs.length,
      maxPassMs: Math.max(...scheduler.passMs),
      passTotalMs: scheduler.passMs.reduce((a, b) => a + b, 0),
      claimTotalMs: scheduler.timedClaims.claimMs.reduce((a, b) => a + b, 0),
      maxClaimMs: Math.max(...scheduler.timedClaims.claimMs),
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      loopDelayMaxMs: loop.max / 1e6,
      refused: scheduler.counts.warnings,
      idle,
      busy: summarize(between(samples, from, recorded)),
      drain: summarize(between(samples, recorded, projected)),
      idleAfter,
    };
  } finally {
    await api?.stop();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
