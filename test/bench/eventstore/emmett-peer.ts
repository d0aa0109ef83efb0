/**
 * What the benchmark needs to drive Emmett's SQLite event store (@event-driven-io/emmett-sqlite 0.38.5)
 * as a peer, and to survive its failures while counting them.
 *
 * Emmett 0.38.5 runs on node-sqlite3 (async, callback based), not better-sqlite3. Its file-backed store
 * opens a new connection for every call and closes it afterwards; it sets `journal_mode = WAL` but leaves
 * `synchronous` at SQLite's default (FULL). So that both stores run with the same pragmas, we can make each
 * of its connections switch to `synchronous = NORMAL` when it starts its first write transaction.
 */
import sqlite3 from 'sqlite3';

type RunFn = (this: sqlite3.Database, sql: string, ...rest: unknown[]) => unknown;
type ExecFn = (this: sqlite3.Database, sql: string, ...rest: unknown[]) => unknown;

let installed = false;
let synchronousNormal = true;

/**
 * Emmett begins every write with `BEGIN IMMEDIATE TRANSACTION` on its own connection; while this is on, we
 * prepend `PRAGMA synchronous = NORMAL` the first time a connection does so (the pragma cannot run inside a
 * transaction, and node-sqlite3 does not order statements issued without waiting, so it cannot simply be
 * issued on open). Off, Emmett runs exactly as shipped (synchronous = FULL).
 *
 * Note: running that first BEGIN through `exec` instead of a prepared statement also changes how
 * node-sqlite3 schedules it, and with it the SQLITE_BUSY race Emmett has as shipped; hence the benchmark
 * measures single appends both ways.
 */
export const setEmmettSynchronousNormal = (on: boolean): void => {
  synchronousNormal = on;
  if (installed) return;
  installed = true;
  const prototype = sqlite3.Database.prototype as unknown as { run: RunFn; exec: ExecFn };
  const run = prototype.run;
  const configured = new WeakSet<object>();
  prototype.run = function (this: sqlite3.Database, sql: string, ...rest: unknown[]) {
    if (synchronousNormal && sql === 'BEGIN IMMEDIATE TRANSACTION' && !configured.has(this)) {
      configured.add(this);
      return (prototype.exec as ExecFn).call(this, 'PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE TRANSACTION', ...rest);
    }
    return run.call(this, sql, ...rest);
  };
};

export const nodeSqlite3Version = (): string => (sqlite3 as unknown as { VERSION?: string }).VERSION ?? 'unknown';

export type GuardResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Runs Emmett calls while:
 * - muting console.log: Emmett's `withTransaction` logs every error it rethrows;
 * - catching errors node-sqlite3 emits without a listener (e.g. a failed fire-and-forget PRAGMA or close),
 *   which would otherwise crash the process;
 * - bounding each call by a timeout, so a call that never settles is counted instead of hanging the run.
 */
export class PeerGuard {
  private readonly uncaught: string[] = [];
  private consoleLogs = 0;
  private restoreLog?: () => void;
  private readonly onUncaught = (error: Error): void => {
    this.uncaught.push(`uncaught: ${error?.message ?? String(error)}`);
  };

  constructor(private readonly timeoutMs = 15_000) {}

  begin(): void {
    const log = console.log;
    console.log = () => {
      this.consoleLogs += 1;
    };
    this.restoreLog = () => {
      console.log = log;
    };
    process.on('uncaughtException', this.onUncaught);
  }

  end(): void {
    this.restoreLog?.();
    this.restoreLog = undefined;
    process.off('uncaughtException', this.onUncaught);
  }

  /** Errors emitted outside any call since the last drain. */
  drainUncaught(): string[] {
    return this.uncaught.splice(0, this.uncaught.length);
  }

  get suppressedConsoleLogs(): number {
    return this.consoleLogs;
  }

  async call<T>(op: () => Promise<T>): Promise<GuardResult<T>> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
      });
      return { ok: true, value: await Promise.race([op(), timeout]) };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
