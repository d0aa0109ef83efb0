// Read-model queries on PostgreSQL for a ~100,000-unit tree (issue: production mode). Builds a world
// into a SQLite event store through the application services, projects it into PostgreSQL with the
// real Projector and ALL_PROJECTIONS, then times every query function the API's read endpoints call
// at random nodes of every level: sequentially against a `SELECT 1` on the same pool and the same
// call on the SQLite read store, then with 8 concurrent callers. Target: p99 under 20 ms.
// Run: npm run bench:pg-queries [-- --quick] [-- --no-sqlite] [-- --markdown]
// PostgreSQL: BENCH_PG_URL or READSTORE_URL (a fresh database is created in it and dropped), else a
// throwaway server from the Debian binaries (test/support/postgres-server.ts).
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { sql } from 'kysely';
import { Client } from 'pg';
import { SqliteEventStore, WriteLock } from '@app/eventstore';
import { ALL_PROJECTIONS } from '@app/read-models';
import { type AnyDb, PostgresReadStore, Projector, type ReadStore, SqliteReadStore } from '@app/readstore';
import { obligationTimersProjection, periodTimersProjection } from '@app/reporting';
import { type PostgresServer, postgresUnavailableReason, startPostgres } from '../../support/postgres-server';
import { formatMarkdownTable, formatMs, formatOps, isQuick, nowMs, printTable, TempFiles } from '../harness';
import { explainCall, planCalls, runConcurrent, runSequential, selectOne, stats, type Stats } from './latency';
import { LEVELS, type Level, type Node, QUERIES } from './queries';
import { generateWorld } from './world';

const quick = isQuick();
const withSqlite = !process.argv.includes('--no-sqlite');
const markdown = process.argv.includes('--markdown');
const BRANCHES = quick ? 3 : 30;
const CALLS = quick ? 500 : 2000;
const CALLERS = 8;
const TARGET_MS = 20;
const files = new TempFiles('bench-pg-queries-');
const ms2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)}x` : 'n/a');
const n = (x: number) => x.toLocaleString('en-US');
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

/** A fresh database in the cluster at `url`; dropped by the returned function. */
const freshDatabase = async (url: string): Promise<{ url: string; drop: () => Promise<void> }> => {
  const name = `bench_pg_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = async (statement: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  return { url: url.replace(/\/[^/?]*(\?|$)/, `/${name}$1`), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
};

const project = async (store: ReadStore, events: SqliteEventStore, projections = ALL_PROJECTIONS): Promise<string[][]> => {
  const projector = new Projector(store, projections);
  await projector.prepare();
  const rows: string[][] = [];
  for (const projection of projections) {
    const started = nowMs();
    const result = await projector.rebuild(projection, events, undefined, 5000);
    const ms = nowMs() - started;
    rows.push([projection.name, n(result.events), `${(ms / 1000).toFixed(1)} s`, formatOps((result.events * 1000) / ms)]);
    log(`  ${store.dialect} ${projection.name}: ${n(result.events)} events in ${(ms / 1000).toFixed(1)} s`);
  }
  return rows;
};

const nodesByLevel = async (db: AnyDb): Promise<Map<Level, Node[]>> => {
  const rows = (await db
    .selectFrom('rm_units')
    .select(['unit_id', 'level', 'parent_id'])
    .where('status', '=', 'active')
    .execute()) as {
    unit_id: string;
    level: Level;
    parent_id: string | null;
  }[];
  const children = new Map<string, number>();
  for (const row of rows) if (row.parent_id) children.set(row.parent_id, (children.get(row.parent_id) ?? 0) + 1);
  const out = new Map<Level, Node[]>(LEVELS.map((level) => [level, []]));
  for (const row of rows)
    out
      .get(row.level)
      ?.push({ unitId: row.unit_id, level: row.level, parentId: row.parent_id, children: children.get(row.unit_id) ?? 0 });
  return out;
};

const settings = async (db: AnyDb): Promise<string> => {
  const names = ['server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit'];
  const values: string[] = [];
  for (const name of names) {
    const { rows } = await sql<Record<string, string>>`${sql.raw(`SHOW ${name}`)}`.execute(db);
    values.push(`${name}=${Object.values(rows[0])[0]}`);
  }
  const { rows } = await sql<{ size: string }>`select pg_size_pretty(pg_database_size(current_database())) as size`.execute(db);
  return `${values.join(', ')}; database ${rows[0].size}`;
};

const tableSizes = async (db: AnyDb): Promise<string[][]> => {
  const { rows } = await sql<{ name: string; rows: number; size: string }>`
    select c.relname as name, c.reltuples::bigint as rows, pg_size_pretty(pg_total_relation_size(c.oid)) as size
    from pg_class c join pg_namespace s on s.oid = c.relnamespace
    where s.nspname = 'public' and c.relkind = 'r' and c.relname like 'rm\\_%'
    order by pg_total_relation_size(c.oid) desc`.execute(db);
  return rows.map((r) => [r.name, n(Number(r.rows)), r.size]);
};

const main = async () => {
  const started = nowMs();
  const given = process.env.BENCH_PG_URL ?? process.env.READSTORE_URL;
  let server: PostgresServer | undefined;
  if (!given) {
    const reason = postgresUnavailableReason();
    if (reason) {
      console.log(`SKIPPED: ${reason}; or set BENCH_PG_URL to a PostgreSQL server`);
      return;
    }
    server = await startPostgres();
    process.once('exit', () => server?.stop());
  }
  const database = await freshDatabase(given ?? server!.url);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
      `PostgreSQL: ${given ? 'given URL' : 'throwaway server (test/support/postgres-server.ts)'}`,
  );

  // 1. The world, in a SQLite event store.
  const file = files.file('world');
  let t = nowMs();
  const world = await generateWorld(file, { branchesPerCommune: BRANCHES }, log);
  const generateMs = nowMs() - t;
  log(
    `world: ${n(world.units)} units, ${n(world.obligations)} obligations, ${n(world.events)} events in ${formatMs(generateMs)}`,
  );

  // 2. Projected into PostgreSQL (and the query models into the SQLite read store, for the baseline).
  const lock = new WriteLock();
  const events = SqliteEventStore.open(file, { writeLock: lock });
  const pgStore = new PostgresReadStore(database.url);
  t = nowMs();
  const pgProjection = await project(pgStore, events);
  const pgProjectMs = nowMs() - t;
  t = nowMs();
  // What autovacuum does on its own shortly after a bulk load: statistics and the visibility map.
  await sql`VACUUM ANALYZE`.execute(pgStore.db);
  const vacuumMs = nowMs() - t;
  log(`projected into PostgreSQL in ${(pgProjectMs / 1000).toFixed(1)} s; VACUUM ANALYZE ${formatMs(vacuumMs)}`);
  let sqliteStore: SqliteReadStore | undefined;
  if (withSqlite) {
    sqliteStore = new SqliteReadStore(file, lock);
    t = nowMs();
    // No query reads the timer tables: the scheduler does.
    await project(
      sqliteStore,
      events,
      ALL_PROJECTIONS.filter((p) => p !== obligationTimersProjection && p !== periodTimersProjection),
    );
    log(`projected the query models into SQLite in ${((nowMs() - t) / 1000).toFixed(1)} s`);
  }
  await events.close();
  const pg = pgStore.db;
  const pgSettings = await settings(pg);
  const sizes = await tableSizes(pg);
  const nodes = await nodesByLevel(pg);
  console.log(`\nPostgreSQL: ${pgSettings}`);
  console.log(`nodes by level: ${LEVELS.map((l) => `${l} ${n(nodes.get(l)!.length)}`).join(', ')}`);

  // 3. Baseline alone: SELECT 1 round trips on the same pool.
  const select1Alone: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const s = nowMs();
    await selectOne(pg);
    select1Alone.push(nowMs() - s);
  }
  const s1 = stats(select1Alone);
  const s1Calls = Array.from({ length: CALLS }, () => ({ node: nodes.get('central')![0], call: selectOne }));
  const s1Conc = stats((await runConcurrent(s1Calls, pg, CALLERS)).latencies);
  log(
    `SELECT 1 alone: p50 ${ms2(s1.p50)} ms, p99 ${ms2(s1.p99)} ms; ${CALLERS} callers p50 ${ms2(s1Conc.p50)}, p99 ${ms2(s1Conc.p99)} ms`,
  );

  // 4. Every query: warm-up, sequential with baselines, then 8 concurrent callers.
  type Result = {
    name: string;
    endpoint: string;
    pg: Stats;
    byLevel: Map<Level, Stats>;
    select1: Stats;
    sqlite?: Stats;
    concurrent: Stats;
    perSecond: number;
    seqPerSecond: number;
    slowest: Awaited<ReturnType<typeof runSequential>>['slowest'];
  };
  const results: Result[] = [];
  for (const [q, query] of QUERIES.entries()) {
    const warm = planCalls(query, nodes, Math.ceil(CALLS / 10), 1000 + q);
    await runSequential(warm, pg, sqliteStore?.db);
    const seq = await runSequential(planCalls(query, nodes, CALLS, 2000 + q), pg, sqliteStore?.db);
    const conc = await runConcurrent(planCalls(query, nodes, CALLS, 3000 + q), pg, CALLERS);
    const byLevel = new Map<Level, Stats>();
    for (const level of LEVELS) {
      const values = seq.pg.filter((s) => s.level === level).map((s) => s.ms);
      if (values.length > 0) byLevel.set(level, stats(values));
    }
    const pgStats = stats(seq.pg.map((s) => s.ms));
    const result: Result = {
      name: query.name,
      endpoint: query.endpoint,
      pg: pgStats,
      byLevel,
      select1: stats(seq.select1),
      ...(seq.sqlite.length > 0 && { sqlite: stats(seq.sqlite) }),
      concurrent: stats(conc.latencies),
      perSecond: conc.perSecond,
      seqPerSecond: 1000 / pgStats.mean,
      slowest: seq.slowest,
    };
    results.push(result);
    log(
      `${query.name}: p50 ${ms2(pgStats.p50)} p99 ${ms2(pgStats.p99)} max ${ms2(pgStats.max)} ms` +
        `${result.sqlite ? ` (SQLite p99 ${ms2(result.sqlite.p99)})` : ''}; ${CALLERS} callers p99 ${ms2(result.concurrent.p99)} ms`,
    );
  }

  // 5. Tables.
  const headers = [
    'query (endpoint)',
    'calls',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'SELECT 1 p50 / p99 ms',
    'p50 / SELECT 1',
    ...(withSqlite ? ['SQLite p50 ms', 'SQLite p99 ms', 'p99 PG / SQLite'] : []),
    `p99 < ${TARGET_MS} ms?`,
  ];
  const rows = results.map((r) => [
    `${r.name} (${r.endpoint})`,
    n(r.pg.n),
    ms2(r.pg.p50),
    ms2(r.pg.p95),
    ms2(r.pg.p99),
    ms2(r.pg.max),
    `${ms2(r.select1.p50)} / ${ms2(r.select1.p99)}`,
    times(r.pg.p50 / r.select1.p50),
    ...(r.sqlite ? [ms2(r.sqlite.p50), ms2(r.sqlite.p99), times(r.pg.p99 / r.sqlite.p99)] : []),
    r.pg.p99 < TARGET_MS ? 'yes' : 'NO',
  ]);
  const levelHeaders = ['query', ...LEVELS.map((l) => `${l} p99 ms`), 'slowest call (ms, node)'];
  const levelRows = results.map((r) => [
    r.name,
    ...LEVELS.map((l) => (r.byLevel.has(l) ? ms2(r.byLevel.get(l)!.p99) : '–')),
    `${ms2(r.slowest.ms)} at ${r.slowest.node.unitId}`,
  ]);
  const concHeaders = [
    'query',
    `${CALLERS} callers p50 ms`,
    'p95 ms',
    'p99 ms',
    'max ms',
    `p50 / SELECT 1 (${CALLERS} callers)`,
    'calls/s',
    'sequential calls/s',
    `p99 < ${TARGET_MS} ms?`,
  ];
  const concRows = results.map((r) => [
    r.name,
    ms2(r.concurrent.p50),
    ms2(r.concurrent.p95),
    ms2(r.concurrent.p99),
    ms2(r.concurrent.max),
    times(r.concurrent.p50 / s1Conc.p50),
    formatOps(r.perSecond),
    formatOps(r.seqPerSecond),
    r.concurrent.p99 < TARGET_MS ? 'yes' : 'NO',
  ]);

  console.log(
    `\n== World: ${n(world.units)} units, ${n(world.obligations)} obligations, ${n(world.events)} events (generated in ${formatMs(generateMs)})`,
  );
  console.log('\n== Projection into PostgreSQL (Projector.rebuild, batches of 5,000)');
  printTable(['projection', 'events', 'time', 'events/s'], pgProjection);
  console.log('\n== Read-model tables on PostgreSQL');
  printTable(['table', 'rows (estimate)', 'size with indexes'], sizes);
  console.log(
    `\n== Sequential, ${n(CALLS)} calls per query, spread evenly over the levels (SELECT 1 alone: p50 ${ms2(s1.p50)} ms, p99 ${ms2(s1.p99)} ms)`,
  );
  printTable(headers, rows);
  console.log('\n== p99 by level of the node (sequential)');
  printTable(levelHeaders, levelRows);
  console.log(
    `\n== ${CALLERS} concurrent callers on one pool of 10 connections, ${n(CALLS)} calls per query (SELECT 1: p50 ${ms2(s1Conc.p50)} ms, p99 ${ms2(s1Conc.p99)} ms)`,
  );
  printTable(concHeaders, concRows);

  // 6. The plan of the slowest query at its slowest node.
  const worst = [...results].sort((a, b) => b.pg.p99 - a.pg.p99)[0];
  const explained = await explainCall(database.url, worst.slowest.call);
  console.log(
    `\n== EXPLAIN (ANALYZE, BUFFERS): "${worst.name}" at ${worst.slowest.node.unitId} (${worst.slowest.node.level}), its slowest call (${ms2(worst.slowest.ms)} ms)`,
  );
  for (const s of explained.statements) console.log(`  ${ms2(s.ms)} ms  ${s.sql}  ${JSON.stringify(s.parameters)}`);
  console.log(explained.plan);

  // The slowest statement of every other query that misses the target, with its plan.
  for (const r of results.filter((r) => r !== worst && r.pg.p99 >= TARGET_MS)) {
    const { statements, plan } = await explainCall(database.url, r.slowest.call);
    const slowest = [...statements].sort((a, b) => b.ms - a.ms)[0];
    console.log(`\n== EXPLAIN (ANALYZE, BUFFERS): "${r.name}" at ${r.slowest.node.unitId} (${r.slowest.node.level})`);
    console.log(
      `  ${statements.length} statements; slowest ${ms2(slowest.ms)} ms: ${slowest.sql}  ${JSON.stringify(slowest.parameters)}`,
    );
    console.log(plan);
  }

  const missed = results.filter((r) => r.pg.p99 >= TARGET_MS || r.concurrent.p99 >= TARGET_MS);
  console.log(
    `\nTarget p99 < ${TARGET_MS} ms: ${missed.length === 0 ? 'met by every query, sequential and with 8 callers' : `missed by ${missed.map((r) => r.name).join('; ')}`}`,
  );
  if (markdown) {
    console.log('\n' + formatMarkdownTable(headers, rows));
    console.log('\n' + formatMarkdownTable(levelHeaders, levelRows));
    console.log('\n' + formatMarkdownTable(concHeaders, concRows));
    console.log('\n' + formatMarkdownTable(['projection', 'events', 'time', 'events/s'], pgProjection));
  }
  await sqliteStore?.close();
  await pgStore.close();
  await database.drop();
  server?.stop();
  server = undefined;
  files.dispose();
  console.log(`\ntotal ${((nowMs() - started) / 1000).toFixed(0)} s`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
