import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';
import { entryPoint, startProcess } from './process-harness';

const cli = (name: string): string => join(process.cwd(), 'dist', 'apps', 'cli', 'src', `${name}.js`);
const builtStore = join(process.cwd(), 'dist', 'libs', 'eventstore', 'src', 'index.js');

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs a built CLI to its exit, as `npm run -s <name> -- …` does. */
const run = (name: string, args: string[], env: Record<string, string>): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [cli(name), ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });

// Appends two events to two streams in one transaction, again and again, until SIGTERM.
const writerScript = `
const { SqliteEventStore } = require(${JSON.stringify(builtStore)});
const { randomUUID } = require('node:crypto');
(async () => {
  const store = SqliteEventStore.open(process.argv[1]);
  let appends = 0;
  let stop = false;
  process.on('SIGTERM', () => { stop = true; });
  const event = (n) => { const id = randomUUID(); return { id, type: 'Live', data: { n, text: 'z'.repeat(300) },
    metadata: { eventId: id, actor: { userId: 'writer' }, occurredAt: '2026-01-01T00:00:00.000Z', correlationId: id, causationId: id, schemaVersion: 1 } }; };
  while (!stop) {
    await store.appendToStreams([{ streamId: 'live-a' + appends, events: [event(appends)] }, { streamId: 'live-b' + appends, events: [event(appends)] }]);
    if (++appends === 1) process.stdout.write('ready\\n');
    if (appends % 20 === 0) await new Promise((r) => setTimeout(r, 1));
  }
  await store.close();
  process.stdout.write(JSON.stringify({ appends }) + '\\n');
})().catch((error) => { console.error(error); process.exit(1); });
`;

const startWriter = (file: string): Promise<{ child: ChildProcess; done: Promise<{ appends: number }> }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', writerScript, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const done = new Promise<{ appends: number }>((finished, failed) =>
      child.once('close', (code) =>
        code === 0 ? finished(JSON.parse(out.trim().split('\n').pop() as string) as { appends: number }) : failed(new Error(err)),
      ),
    );
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.startsWith('ready\n')) resolve({ child, done });
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    void done.catch(reject);
  });

const query = (file: string, sql: string): unknown[][] => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).raw().all() as unknown[][];
  } finally {
    db.close();
  }
};

const hashOf = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('backup and restore of the embedded store (built CLIs)', () => {
  let root: string;
  let dataDir: string;
  let store: string;
  let env: Record<string, string>;
  const snapshot = (): Record<string, string> =>
    Object.fromEntries(
      readdirSync(dataDir).map((name) => [name, existsSync(join(dataDir, name)) ? hashOf(join(dataDir, name)) : '']),
    );

  beforeAll(async () => {
    for (const file of [cli('backup'), cli('restore'), cli('migrate-kurrentdb'), builtStore, entryPoint('engine')]) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first`);
    }
    root = mkdtempSync(join(tmpdir(), 'backup-e2e-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir);
    store = join(dataDir, 'engine.db');
    env = { DATA_DIR: dataDir };
    const seed = SqliteEventStore.open(store);
    for (let i = 0; i < 40; i++) {
      await seed.appendToStreams(
        Array.from({ length: 500 }, (_, k) => ({
          streamId: `seed-s${i}_${k}`,
          events: [newEvent('Seeded', { i, k, text: 'x'.repeat(300) })],
        })),
      );
    }
    await seed.close();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('backs up while another process appends, restores only when nothing runs, and the engine starts on the restored store', async () => {
    const copy = join(root, 'backups', 'engine-backup.db');
    mkdirSync(join(root, 'backups'));
    const writer = await startWriter(store);
    let backup: Run;
    try {
      backup = await run('backup', [copy], env);
    } finally {
      writer.child.kill('SIGTERM');
    }
    const { appends } = await writer.done;

    expect(backup.code).toBe(0);
    expect(backup.stderr).toContain('backup [');
    const lines = backup.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]) as { file: string; bytes: number; events: number; headPosition: number; ms: number };
    expect(Object.keys(summary)).toEqual(expect.arrayContaining(['file', 'bytes', 'events', 'headPosition', 'ms']));
    expect(summary.file).toBe(copy);
    expect(summary.bytes).toBe(readFileSync(copy).length);

    // One snapshot: whole appends only (the writer's come in pairs), and exactly a prefix of the store.
    expect(summary.events).toBeGreaterThan(20_000);
    expect(summary.events % 2).toBe(0);
    const copied = query(copy, 'SELECT position, event_id, stream_id, revision FROM events ORDER BY position');
    const source = query(store, 'SELECT position, event_id, stream_id, revision FROM events ORDER BY position');
    expect(source.length).toBe(20_000 + 2 * appends);
    expect(copied).toEqual(source.slice(0, copied.length));
    expect(copied).toHaveLength(summary.events);
    expect(copied[copied.length - 1][0]).toBe(summary.headPosition);
    expect(query(copy, 'PRAGMA integrity_check')).toEqual([['ok']]);
    expect(readdirSync(join(root, 'backups'))).toEqual(['engine-backup.db']);

    // A live lease in ops_leases means an engine or worker runs: refused, nothing changed.
    const db = new Database(store);
    db.exec(
      'CREATE TABLE ops_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL, epoch BIGINT NOT NULL)',
    );
    db.prepare("INSERT INTO ops_leases VALUES ('projection:audit-index', 'worker-1', ?, 3)").run(Date.now() + 10 * 60_000);
    db.close();
    const before = snapshot();
    const refused = await run('restore', [copy], env);
    expect(refused.code).toBe(75);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('An engine or worker is running');
    expect(refused.stderr).toContain('projection:audit-index (held by worker-1');
    expect(snapshot()).toEqual(before);

    // The lease has expired (its holder stopped): the restore goes ahead.
    const expire = new Database(store);
    expire.prepare('UPDATE ops_leases SET expires_at = ?').run(Date.now() - 1);
    expire.close();
    const restored = await run('restore', [copy], env);
    expect(restored.code).toBe(0);
    const result = JSON.parse(restored.stdout) as { restored: string; keptAs: string; events: number; headPosition: number };
    expect(result).toMatchObject({ restored: store, events: summary.events, headPosition: summary.headPosition });
    expect(readdirSync(dataDir).sort()).toEqual(['engine.db', result.keptAs.slice(dataDir.length + 1)]);
    expect(query(store, 'SELECT position, event_id, stream_id, revision FROM events ORDER BY position')).toEqual(copied);
    expect(query(result.keptAs, 'SELECT COUNT(*) FROM events')).toEqual([[source.length]]);

    // The engine runs on the restored store and reports its head.
    const engine = await startProcess('engine', { DATA_DIR: dataDir, PORT: '0', SCHEDULER: 'off' }, 'engine listening');
    try {
      const health = (await (await fetch(`${engine.url}/health`)).json()) as { store: { headPosition: number } };
      expect(health.store.headPosition).toBe(summary.headPosition);
      // While it runs, a restore is refused: by its lease or by SQLite's lock on the open file.
      const busy = await run('restore', [copy], env);
      expect(busy.code).toBe(75);
      expect(busy.stderr).toMatch(/An engine or worker is running|Another process has .* open/);
    } finally {
      engine.child.kill('SIGTERM');
    }
    expect(await engine.exited).toBe(0);
  });

  it.each([
    ['backup', [], 64, 'name one destination file'],
    ['backup', ['a.db', 'b.db'], 64, 'name one destination file'],
    ['backup', ['a.db', '--forse'], 64, "Unknown option '--forse'"],
    ['backup', ['{root}/missing-dir/a.db'], 73, 'does not exist'],
    ['backup', ['{root}'], 73, 'is a directory'],
    ['backup', ['{data}/engine.db'], 64, 'is the store itself'],
    ['restore', [], 64, 'name one backup file'],
    ['restore', ['{root}/no-such-backup.db'], 66, 'does not exist'],
    ['restore', ['{root}'], 66, 'is not a regular file'],
    ['restore', ['{root}/not-sqlite.db'], 65, 'is not a SQLite database'],
    ['restore', ['{root}/no-events.db'], 65, 'has no events table'],
    ['migrate-kurrentdb', [], 64, '--to <connection string> is required'],
    ['migrate-kurrentdb', ['--to', 'http://localhost:2113'], 64, '--to must be a KurrentDB connection string'],
    ['migrate-kurrentdb', ['--to', 'kurrentdb://?tls=false'], 64, 'bad --to'],
    ['migrate-kurrentdb', ['--to', 'kurrentdb://127.0.0.1:9?tls=false'], 69, 'cannot reach'],
  ])('%s %j: exit %i with a clear message, nothing changed', async (name, args, code, message) => {
    writeFileSync(join(root, 'not-sqlite.db'), 'just some text, not a database');
    if (!existsSync(join(root, 'no-events.db'))) {
      const other = new Database(join(root, 'no-events.db'));
      other.exec('CREATE TABLE notes (x)');
      other.close();
    }
    const before = snapshot();
    const rootBefore = readdirSync(root).sort();
    const argv = args.map((a) => a.replace('{root}', root).replace('{data}', dataDir));
    const result = await run(name, argv, env);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(snapshot()).toEqual(before);
    expect(readdirSync(root).sort()).toEqual(rootBefore);
  });

  it('refuses without a store in DATA_DIR, creating none, and in production mode', async () => {
    const empty = join(root, 'empty-data');
    const missing = await run('backup', [join(root, 'x.db')], { DATA_DIR: empty });
    expect(missing.code).toBe(66);
    expect(missing.stderr).toContain('does not exist');
    expect(existsSync(empty)).toBe(false);

    const production = await run('backup', [join(root, 'x.db')], {
      DATA_DIR: dataDir,
      EVENTSTORE_URL: 'kurrentdb://localhost:2113?tls=false',
      JWT_SECRET: 'a-secret-of-at-least-32-characters!!',
    });
    expect(production.code).toBe(78);
    expect(production.stderr).toContain('EVENTSTORE_URL is set');
    expect(existsSync(join(root, 'x.db'))).toBe(false);
  });

  it('counts what a migration would copy without writing anything', async () => {
    const tables = query(store, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    const before = snapshot();
    const dry = await run('migrate-kurrentdb', ['--dry-run'], env);
    expect(dry.code).toBe(0);
    const summary = JSON.parse(dry.stdout) as {
      dryRun: boolean;
      events: number;
      streams: number;
      from: number;
      complete: boolean;
    };
    const [[events, streams]] = query(store, 'SELECT COUNT(*), COUNT(DISTINCT stream_id) FROM events') as [[number, number]];
    expect(summary).toMatchObject({ dryRun: true, from: 0, events, streams, complete: true });
    expect(dry.stderr).toContain('count [');
    expect(snapshot()).toEqual(before);
    expect(query(store, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).toEqual(tables);
  });
});
