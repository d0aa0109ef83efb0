// Scale-out of the worker with leases, against PostgreSQL read models:
// (a) projection throughput of two worker processes sharing the leases against one worker alone
//     (the baseline, run in the same process, alternating), catching up on the same log from zero;
// (b) takeover: the holder of a projection's lease is killed (SIGKILL) while reports keep coming;
//     the time until the other worker holds the lease, and until that projection moves again.
// Needs the built worker: npm run build && npm run bench:scaleout [-- --quick]
// PostgreSQL: BENCH_PG_URL, else a throwaway server from Debian's postgresql package.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type SqliteEventStore } from '@app/eventstore';
import { generateNationalHierarchyCsv } from '@app/org';
import { ALL_PROJECTIONS } from '@app/read-models';
import { createPostgresDatabase } from '../../../libs/readstore/src/testing/read-stores';
import { entryPoint, type Started, startProcess } from '../../e2e/process-harness';
import { type PostgresServer, postgresUnavailableReason, startPostgres } from '../../support/postgres-server';
import { draftAndIssue, World } from '../commands/world';
import { formatMs, formatOps, formatPercent, isQuick, median, nowMs, printTable } from '../harness';

const quick = isQuick();
const PERIODS = quick ? 2 : 4;
const BRANCHES = quick ? 1 : 4;
const ROUNDS = quick ? 1 : 2;
const KILLS = quick ? 2 : 5;
const LEASE_TTL_MS = 5_000;
const DIRECTIVE = 'national';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const periodKey = (p: number) => `2026-${String(p + 1).padStart(2, '0')}`;

/** The national hierarchy with BRANCHES branches per commune, one directive issued to every branch, PERIODS monthly periods opened. */
const seed = async (file: string): Promise<World> => {
  const world = new World(file, new Date('2026-01-10T02:00:00Z'));
  await world.units.importCsv(
    world.as('admin', 'TW', ['admin']),
    generateNationalHierarchyCsv({ branchesPerCommune: BRANCHES }),
    '2026-01-01',
  );
  await draftAndIssue(world, DIRECTIVE, 'TW', 'branch', 'on_request');
  for (let p = 0; p < PERIODS; p++) {
    await world.reporting.openPeriod(world.as('officer', 'TW', ['officer']), DIRECTIVE, {
      period: periodKey(p + 6),
      window: { from: `2026-${String(p + 6).padStart(2, '0')}-15`, to: `2026-${String(p + 7).padStart(2, '0')}-14` },
      due: `2026-${String(p + 7).padStart(2, '0')}-20T17:00:00+07:00`,
    });
  }
  return world;
};

/** Each projection's last event (by its filter), and how many it has to apply. */
const targetsOf = async (store: SqliteEventStore) => {
  const targets = new Map<string, { last: number; events: number }>();
  for (const projection of ALL_PROJECTIONS) {
    let last = 0;
    let events = 0;
    for (let after = 0; ;) {
      const page = await store.readAll({ after, maxCount: 10_000, filter: projection.filter });
      if (page.length === 0) break;
      events += page.length;
      last = page[page.length - 1].position;
      after = last;
    }
    targets.set(projection.name, { last, events });
  }
  return targets;
};

const checkpoints = async (client: Client): Promise<Map<string, number>> =>
  new Map(
    (await client.query<{ name: string; position: string }>('SELECT name, position FROM projection_checkpoints')).rows.map(
      (r) => [r.name, Number(r.position)],
    ),
  );

/** A worker process without waiting for a log line (the bench polls the database instead). */
const spawnWorker = async (dataDir: string, url: string): Promise<Started> => {
  const worker = await startProcess(
    'worker',
    {
      DATA_DIR: dataDir,
      READSTORE_URL: url,
      SCHEDULER: 'off',
      LEASE_TTL_MS: String(LEASE_TTL_MS),
      JWT_SECRET: 'bench-secret-0123456789abcdef0123456789',
      LOG_LEVEL: 'info',
    },
    'worker running',
    120_000,
  );
  void worker.exited.then((code) => {
    if (!stopped.has(worker.child.pid!))
      console.error(
        `worker ${worker.child.pid} exited with ${code} (${worker.child.signalCode}):\n${worker.lines.slice(-20).join('\n')}`,
      );
  });
  return worker;
};

/** Workers this bench stopped or killed on purpose; any other exit is reported. */
const stopped = new Set<number>();

const stopAll = async (workers: readonly Started[]) => {
  for (const w of workers) {
    stopped.add(w.child.pid!);
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  }
  await Promise.all(workers.map((w) => w.exited));
};

/** Starts `n` workers on a fresh database and times them until every projection reached its last event. */
const catchUp = async (n: number, dataDir: string, pgUrl: string, targets: Map<string, { last: number; events: number }>) => {
  const database = await createPostgresDatabase(pgUrl);
  const client = new Client({ connectionString: database.url });
  await client.connect();
  const started = nowMs();
  const workers = await Promise.all(Array.from({ length: n }, () => spawnWorker(dataDir, database.url)));
  for (;;) {
    const at = await checkpoints(client).catch(() => new Map<string, number>());
    if ([...targets].every(([name, t]) => t.events === 0 || (at.get(name) ?? 0) >= t.last)) break;
    await sleep(50);
  }
  const ms = nowMs() - started;
  const split = (
    await client.query<{ holder: string; n: string }>(
      `SELECT holder, count(*) AS n FROM ops_leases WHERE name NOT LIKE 'member:%' GROUP BY holder`,
    )
  ).rows
    .map((r) => Number(r.n))
    .sort((a, b) => b - a)
    .join('/');
  await stopAll(workers);
  await client.end();
  await database.drop();
  return { ms, split };
};

const main = async () => {
  if (!existsSync(entryPoint('worker'))) {
    console.error('bench:scaleout runs the built worker: npm run build first');
    process.exit(1);
  }
  let server: PostgresServer | undefined;
  let pgUrl = process.env.BENCH_PG_URL;
  if (!pgUrl) {
    const reason = postgresUnavailableReason();
    if (reason) {
      console.log(`SKIPPED: ${reason}; or set BENCH_PG_URL to a PostgreSQL server`);
      return;
    }
    server = await startPostgres();
    pgUrl = server.url;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-scaleout-'));
  try {
    const file = join(dataDir, 'engine.db');
    const t = nowMs();
    const world = await seed(file);
    const head = await world.store.headPosition();
    const targets = await targetsOf(world.store);
    const applied = [...targets.values()].reduce((sum, x) => sum + x.events, 0);
    console.log(
      `log: ${head.toLocaleString('en-US')} events (${applied.toLocaleString('en-US')} projection applications) seeded in ${formatMs(nowMs() - t)}`,
    );

    // (a) one worker (baseline) and two workers, alternating.
    const rows: string[][] = [];
    const one: number[] = [];
    const two: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const n of [1, 2]) {
        const { ms, split } = await catchUp(n, dataDir, pgUrl, targets);
        (n === 1 ? one : two).push(ms);
        rows.push([String(round), String(n), split, formatMs(ms), formatOps((applied * 1000) / ms)]);
      }
    }
    printTable(['round', 'workers', 'leases held', 'catch-up', 'applications/s'], rows);
    const ratio = median(one) / median(two);
    console.log(`two workers' throughput against one's (medians): ${formatPercent(ratio)} (target: within 20%, i.e. ≥ 80%)`);

    // (b) takeover while reports keep coming.
    const database = await createPostgresDatabase(pgUrl);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const workers = [await spawnWorker(dataDir, database.url), await spawnWorker(dataDir, database.url)];
    const lease = 'projection:reporting-status';
    const holderOf = async (): Promise<string | undefined> =>
      (
        await client.query<{ holder: string }>(
          `SELECT holder FROM ops_leases WHERE name = $1 AND expires_at > (extract(epoch from clock_timestamp()) * 1000)::bigint`,
          [lease],
        )
      ).rows[0]?.holder;
    for (;;) {
      const at = await checkpoints(client);
      if ([...targets].every(([name, x]) => x.events === 0 || (at.get(name) ?? 0) >= x.last)) break;
      await sleep(100);
    }
    console.log('caught up; now killing the holder of the reporting-status projection while reports come in');
    // The writer: a report every few milliseconds from the branches in turn (each obligation once).
    const branches = (
      await client.query<{ unit_id: string }>(`SELECT unit_id FROM rm_units WHERE level = 'branch' ORDER BY unit_id`)
    ).rows.map((r) => r.unit_id);
    let writing = true;
    let written = 0;
    let refused = 0;
    const writer = (async () => {
      for (let i = 0; writing && i < branches.length * PERIODS; i++) {
        const unitId = branches[i % branches.length];
        await world.reporting
          .submit(
            world.as(`officer.${unitId}`, unitId, ['officer']),
            { directiveId: DIRECTIVE, unitId, period: periodKey(6 + Math.floor(i / branches.length)) },
            {
              values: { t1: { kind: 'number', value: 3 } },
              narrative: { results: 'Đã tổ chức', difficulties: '', proposals: '' },
            },
          )
          .then(
            () => written++,
            (error: unknown) => {
              if (refused++ === 0) console.error('a report was refused:', error);
            },
          );
        await sleep(10);
      }
    })();
    const takeovers: number[] = [];
    const resumed: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      let holder: string | undefined;
      while (!(holder = await holderOf())) await sleep(50);
      const victim = workers.find((w) => holder!.includes(`:${w.child.pid}:`))!;
      const before = (await checkpoints(client)).get('reporting-status') ?? 0;
      stopped.add(victim.child.pid!);
      victim.child.kill('SIGKILL');
      const killed = nowMs();
      let next: string | undefined;
      while (!(next = await holderOf()) || next === holder) await sleep(20);
      takeovers.push(nowMs() - killed);
      // The projection moves again once the new holder applies the next report (NaN if the writer ran out).
      const limit = nowMs() + 60_000;
      while (((await checkpoints(client)).get('reporting-status') ?? 0) <= before && nowMs() < limit) await sleep(20);
      resumed.push(nowMs() < limit ? nowMs() - killed : Number.NaN);
      await victim.exited;
      workers.splice(workers.indexOf(victim), 1, await spawnWorker(dataDir, database.url));
      await sleep(2 * LEASE_TTL_MS); // let the leases settle between the two again
    }
    writing = false;
    await writer;
    printTable(
      ['kill', 'lease taken over after', 'projection moving again after'],
      takeovers.map((ms, i) => [String(i + 1), formatMs(ms), formatMs(resumed[i])]),
    );
    console.log(
      `takeover (LEASE_TTL_MS=${LEASE_TTL_MS}): median ${formatMs(median(takeovers))}, max ${formatMs(Math.max(...takeovers))}; projection resumed: max ${formatMs(Math.max(...resumed))} (target < 10 s); ${written} reports written meanwhile, ${refused} refused`,
    );
    await stopAll(workers);
    await client.end();
    await database.drop();
    await world.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    server?.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
