/**
 * Small timing helpers shared by the benchmarks under test/bench.
 *
 * The machine is shared and noisy, so a comparison runs every variant several rounds, interleaved
 * (A B C, then C B A, …), each round on fresh state, and reports the median rate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Millis = number;

/** `--quick` or BENCH_QUICK=1: smaller sizes and fewer rounds, for a smoke run. */
export const isQuick = (argv: readonly string[] = process.argv): boolean =>
  argv.includes('--quick') || ['1', 'true', 'yes'].includes((process.env.BENCH_QUICK ?? '').toLowerCase());

export const nowMs = (): Millis => Number(process.hrtime.bigint()) / 1e6;

/** Wall time of one call, in ms. */
export const timeOnce = async (fn: () => unknown): Promise<Millis> => {
  const start = nowMs();
  await fn();
  return nowMs() - start;
};

/** Wall time of `n` sequential calls of `fn(i)`, in ms. */
export const timeN = async (n: number, fn: (i: number) => unknown): Promise<Millis> => {
  const start = nowMs();
  for (let i = 0; i < n; i++) await fn(i);
  return nowMs() - start;
};

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const opsPerSec = (ops: number, ms: Millis): number => (ms > 0 ? (ops * 1000) / ms : Number.NaN);

/** Runs the GC when node was started with --expose-gc, so one variant's garbage is not billed to the next. */
export const collectGarbage = (): void => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
};

export const formatOps = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');

/** 0.873 -> "87.3%". */
export const formatPercent = (ratio: number): string => (Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)}%` : 'n/a');

/** 12.34 -> "12.3x". */
export const formatTimes = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(ratio < 10 ? 2 : 1)}x` : 'n/a');

export const formatMs = (ms: Millis): string => (ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);

/** A plain-text table; numeric-looking cells are right-aligned. */
export const formatTable = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = headers.map((header, c) => Math.max(header.length, ...rows.map((row) => (row[c] ?? '').length)));
  const numeric = /^[-+]?[\d,.]+(%|x| ms)?$|^n\/a$/;
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (numeric.test(cell) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join(' | ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
};

export const printTable = (headers: readonly string[], rows: readonly (readonly string[])[]): void => {
  console.log(formatTable(headers, rows));
};

/** A Markdown table, for pasting into docs. */
export const formatMarkdownTable = (headers: readonly string[], rows: readonly (readonly string[])[]): string =>
  [headers, headers.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

// ---------------------------------------------------------------------------------------------
// Interleaved comparisons

/** `round` is 0-based for measured rounds and negative for warm-up rounds. */
export type Failure = Readonly<{ round: number; index: number; message: string }>;

/** What one timed run reports: how many operations it attempted and which of them failed. */
export type RunOutcome = Readonly<{ ops: number; failures?: readonly Omit<Failure, 'round'>[] }>;

export type Variant<Ctx = unknown> = Readonly<{
  name: string;
  /** Untimed: builds fresh state (a new file, a new connection) for one round. */
  prepare: (round: number, warmup: boolean) => Ctx | Promise<Ctx>;
  /** Timed. */
  run: (ctx: Ctx, round: number, warmup: boolean) => RunOutcome | Promise<RunOutcome>;
  /** Untimed: closes and removes what prepare built. */
  cleanup?: (ctx: Ctx) => void | Promise<void>;
}>;

export type VariantResult = {
  name: string;
  /** ops/s of each measured round. */
  rates: number[];
  medianRate: number;
  ops: number;
  failures: Failure[];
};

export type CompareOptions = Readonly<{
  title: string;
  rounds: number;
  warmupRounds: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  variants: readonly Variant<any>[];
  /** Print one line per round. */
  verbose?: boolean;
}>;

/**
 * Runs every variant `warmupRounds + rounds` times, interleaved and alternating the order each round,
 * and returns each variant's median ops/s over the measured rounds.
 */
export const compare = async (options: CompareOptions): Promise<Map<string, VariantResult>> => {
  const results = new Map<string, VariantResult>();
  for (const variant of options.variants) {
    results.set(variant.name, { name: variant.name, rates: [], medianRate: Number.NaN, ops: 0, failures: [] });
  }
  console.log(`\n== ${options.title}`);
  const total = options.warmupRounds + options.rounds;
  for (let r = 0; r < total; r++) {
    const warmup = r < options.warmupRounds;
    const round = warmup ? -(options.warmupRounds - r) : r - options.warmupRounds;
    const order = r % 2 === 0 ? options.variants : [...options.variants].reverse();
    const cells: string[] = [];
    for (const variant of order) {
      const ctx = await variant.prepare(round, warmup);
      collectGarbage();
      let outcome: RunOutcome = { ops: 0 };
      const ms = await timeOnce(async () => {
        outcome = await variant.run(ctx, round, warmup);
      });
      await variant.cleanup?.(ctx);
      const rate = opsPerSec(outcome.ops, ms);
      const failed = outcome.failures?.length ?? 0;
      cells.push(`${variant.name} ${formatOps(rate)}/s${failed ? ` (${failed} failed)` : ''}`);
      const result = results.get(variant.name)!;
      // Failures are kept for warm-up rounds too (round < 0); rates are not.
      for (const failure of outcome.failures ?? []) result.failures.push({ round, ...failure });
      if (warmup) continue;
      result.rates.push(rate);
      result.ops = outcome.ops;
    }
    if (options.verbose !== false) console.log(`  ${warmup ? 'warm-up' : `round ${round + 1}`}: ${cells.join(', ')}`);
  }
  for (const [name, result] of results) results.set(name, { ...result, medianRate: median(result.rates) });
  return results;
};

/** Ratios a/b of the rounds the two variants ran side by side: median, min and max. */
export const pairedRatios = (a: VariantResult, b: VariantResult): { median: number; min: number; max: number } => {
  const ratios = a.rates.slice(0, b.rates.length).map((rate, i) => rate / b.rates[i]);
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
};

// ---------------------------------------------------------------------------------------------
// Temporary files

/** A temp directory removed on exit; `file()` hands out fresh, unique database paths in it. */
export class TempFiles {
  readonly dir: string;
  private counter = 0;

  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    const dispose = (): void => this.dispose();
    process.once('exit', dispose);
  }

  file(name: string, ext = 'db'): string {
    this.counter += 1;
    return join(this.dir, `${name}-${this.counter}.${ext}`);
  }

  /** Removes a database file with its WAL and shared-memory companions. */
  remove(path: string): void {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
