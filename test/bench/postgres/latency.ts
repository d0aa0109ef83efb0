// Latency of the query suite: sequential calls with their baselines measured alongside (a `SELECT 1`
// on the same pool every fourth call, and every other call again on the SQLite read store), a
// run with concurrent callers, and EXPLAIN (ANALYZE, BUFFERS) of a call's slowest statement.
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import type { AnyDb } from '@app/readstore';
import { nowMs } from '../harness';
import { type Call, LEVELS, type Level, type Node, type QueryDef } from './queries';
import { rng } from './world';

export type Stats = Readonly<{ n: number; p50: number; p95: number; p99: number; max: number; mean: number }>;

export const stats = (values: readonly number[]): Stats => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN, mean };
};

export type PlannedCall = Readonly<{ node: Node; call: Call }>;

/** `n` calls, spread evenly over the levels (round robin), each at a random node of its level. */
export const planCalls = (
  query: QueryDef,
  nodes: ReadonlyMap<Level, readonly Node[]>,
  n: number,
  seed: number,
): PlannedCall[] => {
  const r = rng(seed);
  const levels = LEVELS.filter((level) => (nodes.get(level)?.length ?? 0) > 0);
  return Array.from({ length: n }, (_, i) => {
    const candidates = nodes.get(levels[i % levels.length])!;
    const node = candidates[Math.floor(r() * candidates.length)];
    return { node, call: query.make(node, r) };
  });
};

export type SequentialResult = Readonly<{
  pg: readonly { ms: number; level: Level }[];
  sqlite: readonly number[];
  select1: readonly number[];
  slowest: PlannedCall & { ms: number };
}>;

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const started = nowMs();
  await work();
  return nowMs() - started;
};

export const selectOne = (db: AnyDb): Promise<unknown> => sql`select 1`.execute(db);

/** One call after the other on PostgreSQL; every other one also on SQLite when given, and a `SELECT 1` every fourth call. */
export const runSequential = async (calls: readonly PlannedCall[], pg: AnyDb, sqlite?: AnyDb): Promise<SequentialResult> => {
  const out = { pg: [] as { ms: number; level: Level }[], sqlite: [] as number[], select1: [] as number[] };
  let slowest = { ...calls[0], ms: -1 };
  for (const [i, planned] of calls.entries()) {
    const ms = await timed(() => planned.call(pg));
    out.pg.push({ ms, level: planned.node.level });
    if (ms > slowest.ms) slowest = { ...planned, ms };
    if (sqlite && i % 2 === 0) out.sqlite.push(await timed(() => planned.call(sqlite)));
    if (i % 4 === 0) out.select1.push(await timed(() => selectOne(pg)));
  }
  return { ...out, slowest };
};

/** `callers` loops sharing the list of calls, on one pool; latencies per call and the calls per second. */
export const runConcurrent = async (
  calls: readonly PlannedCall[],
  pg: AnyDb,
  callers: number,
): Promise<{ latencies: number[]; perSecond: number }> => {
  const latencies: number[] = [];
  let next = 0;
  const started = nowMs();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < calls.length) {
        const planned = calls[next++];
        latencies.push(await timed(() => planned.call(pg)));
      }
    }),
  );
  return { latencies, perSecond: (calls.length * 1000) / (nowMs() - started) };
};

type Statement = Readonly<{ sql: string; parameters: readonly unknown[]; ms: number }>;

/**
 * Runs a call on a logging connection of its own (a few times, to see it warm), and returns every
 * statement of its slowest run, with the plan of the slowest one by EXPLAIN (ANALYZE, BUFFERS).
 */
export const explainCall = async (url: string, call: Call, repeat = 3): Promise<{ statements: Statement[]; plan: string }> => {
  const pool = new Pool({ connectionString: url, max: 2 });
  let current: Statement[] = [];
  const db = new Kysely({
    dialect: new PostgresDialect({ pool }),
    log: (event) =>
      void current.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis }),
  }) as AnyDb;
  let worst: Statement[] = [];
  let worstMs = -1;
  for (let i = 0; i < repeat; i++) {
    current = [];
    const ms = await timed(() => call(db));
    if (ms > worstMs) [worst, worstMs] = [current, ms];
  }
  const slowest = [...worst].sort((a, b) => b.ms - a.ms)[0];
  const result = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${slowest.sql}`, [...slowest.parameters]);
  await db.destroy();
  const plan = (result.rows as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n');
  return { statements: worst, plan };
};
