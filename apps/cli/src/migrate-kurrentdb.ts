import 'reflect-metadata';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import {
  assertStoreFile,
  type CheckpointStore,
  KurrentDbEventStore,
  MIGRATION_CHECKPOINT,
  migrateEvents,
  SqliteCheckpointStore,
  SqliteEventStore,
  translatePosition,
  verifyCopy,
} from '@app/eventstore';
import { sqliteFile } from '@app/platform';
import { configOrExit, EXIT, exitCodeOf, runCommand } from './exit-codes';
import { ProgressBar } from './progress-bar';

const USAGE = `Usage: npm run migrate:kurrentdb -- --to <connection string> [--dry-run] [--restart] [--verify]

Copies every event of the embedded store ($DATA_DIR/engine.db) to KurrentDB / EventStoreDB, in
global order, with the same ids, types, data, metadata and stream revisions. Each append states
the stream's expected revision: a target that holds other data, or a writer racing on it, stops the
run with a report and nothing is overwritten. The position copied so far is kept in the store's
checkpoints table (${MIGRATION_CHECKPOINT}): run it again after a crash or Ctrl-C, or to copy events
written since, and it goes on from there with nothing twice. Progress on stderr; one JSON line on stdout.

  --to <url>   the target, e.g. kurrentdb://host:2113?tls=false (esdb://, kdb://, +discover too)
  --dry-run    count the events and streams left to copy; write nothing (--to optional: checks the server)
  --restart    go through the whole log again instead of from the checkpoint (events already in the
               target are recognised and skipped); needed after pointing at another target
  --verify     after copying, read both logs through and compare every event and their order

Exit codes: 0 done; 64 bad arguments; 65 the target holds other data / the checkpoint does not match /
the copy differs; 66 no store in DATA_DIR; 69 the target cannot be reached; 78 bad configuration;
130 interrupted (run it again to go on).
See docs/operations.md, "Moving to EventStoreDB", for the whole procedure.
`;

const TARGET = /^(kurrentdb|esdb|kdb)(\+discover)?:\/\/\S+$/;
const PING_TIMEOUT_MS = 20_000;

const main = async (): Promise<number> => {
  let args;
  try {
    args = parseArgs({
      options: {
        to: { type: 'string' },
        'dry-run': { type: 'boolean' },
        restart: { type: 'boolean' },
        verify: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`migrate:kurrentdb: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { to, restart = false, verify = false, help } = args.values;
  const dryRun = args.values['dry-run'] ?? false;
  if (help) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (to === undefined && !dryRun) {
    process.stderr.write(`migrate:kurrentdb: --to <connection string> is required\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (to !== undefined && !TARGET.test(to.trim())) {
    process.stderr.write(
      `migrate:kurrentdb: --to must be a KurrentDB connection string such as kurrentdb://host:2113?tls=false\n`,
    );
    return EXIT.usage;
  }
  const config = configOrExit('migrate:kurrentdb');
  if (typeof config === 'number') return config;
  const file = sqliteFile(config);
  assertStoreFile(file, 'The source store');

  let target: KurrentDbEventStore | undefined;
  if (to !== undefined) {
    try {
      target = await KurrentDbEventStore.connect(to.trim());
    } catch (error) {
      process.stderr.write(`migrate:kurrentdb: bad --to: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    try {
      await withTimeout(target.ping(), PING_TIMEOUT_MS);
    } catch (error) {
      await target.close().catch(() => undefined);
      process.stderr.write(`migrate:kurrentdb: cannot reach ${to}: ${(error as Error).message}\n`);
      return EXIT.unavailable;
    }
  }

  // The engine's own connection settings (WAL) are left as they are: a dry run changes nothing in the file.
  const connection = new Database(file, { fileMustExist: true });
  connection.pragma('busy_timeout = 5000');
  const source = new SqliteEventStore(connection);
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(
      '\nmigrate:kurrentdb: stopping after the append under way (Ctrl-C again to quit at once; a rerun goes on)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const started = Date.now();
  const bar = new ProgressBar();
  let reached = 0;
  try {
    const checkpoints = dryRun ? readOnlyCheckpoints(source.db) : new SqliteCheckpointStore(source.db, source.writeLock);
    const result = await migrateEvents({
      source,
      target,
      checkpoints,
      dryRun,
      restart,
      signal: controller.signal,
      onProgress: (p) => {
        reached = p.position;
        bar.update(
          dryRun ? 'count' : 'migrate',
          p.position - p.from,
          p.head - p.from,
          (p.copied + p.alreadyPresent) / seconds(started),
        );
      },
    });
    bar.update(
      dryRun ? 'count' : 'migrate',
      result.position - result.from,
      result.sourceHead - result.from,
      result.events / seconds(started),
      true,
    );
    const summary: Record<string, unknown> = { ...result, ms: Date.now() - started };
    if (target && !dryRun) {
      summary.target = { head: await target.headPosition(), atomicMultiStreamAppend: target.atomicMultiStreamAppend };
      summary.checkpoints = await translateCheckpoints(source, target);
    } else if (target) {
      summary.target = { head: await target.headPosition(), reachable: true };
    }
    let code: number = result.stopped ? EXIT.interrupted : EXIT.ok;
    if (verify && !result.complete) process.stderr.write('migrate:kurrentdb: not verified: the run did not reach the head\n');
    if (verify && target && !dryRun && result.complete) {
      const verification = await verifyCopy(source, target, {
        upTo: result.position,
        onProgress: (n) => bar.update('verify', n, result.position, n / seconds(started)),
      });
      summary.verification = verification;
      if (!verification.ok) {
        process.stderr.write(`migrate:kurrentdb: the copy differs from the source: ${verification.firstProblem ?? ''}\n`);
        code = EXIT.dataError;
      }
    }
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return code;
  } catch (error) {
    const where = reached > 0 ? ` (copied up to source position ${reached})` : '';
    process.stderr.write(`\nmigrate:kurrentdb: stopped${where}: ${(error as Error).message}\n`);
    const code = exitCodeOf(error);
    if (code !== undefined) return code;
    process.stderr.write('migrate:kurrentdb: run the command again to go on from the checkpoint\n');
    return EXIT.failed;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await source.close();
    connection.close();
    await target?.close();
  }
};

const seconds = (since: number): number => Math.max(0.001, (Date.now() - since) / 1000);

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });

/** A dry run reads the checkpoint and writes nothing, not even the table. */
const readOnlyCheckpoints = (db: Database.Database): CheckpointStore => ({
  load: async (name) => {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints'").get();
    return table
      ? ((db.prepare('SELECT position FROM checkpoints WHERE name = ?').pluck().get(name) as number | undefined) ?? 0)
      : 0;
  },
  store: async () => {
    throw new Error('A dry run stores no checkpoint');
  },
});

/** Where each subscriber checkpoint kept in the store file lands in the target, for carrying it over (the relay's, to avoid publishing again). */
const translateCheckpoints = async (
  source: SqliteEventStore,
  target: KurrentDbEventStore,
): Promise<Record<string, { source: number; target: number | null }>> => {
  const rows = source.db
    .prepare('SELECT name, position FROM checkpoints WHERE name <> ? ORDER BY name')
    .all(MIGRATION_CHECKPOINT) as {
    name: string;
    position: number;
  }[];
  const out: Record<string, { source: number; target: number | null }> = {};
  for (const row of rows)
    out[row.name] = { source: row.position, target: (await translatePosition(source, target, row.position)) ?? null };
  return out;
};

runCommand('migrate:kurrentdb', main);
