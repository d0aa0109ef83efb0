import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newEvent } from '../testing/event-fixtures';
import { backupStoreFile } from './backup';
import { restoreStoreFile } from './restore';
import { SqliteEventStore } from './sqlite-event-store';

const appendMany = async (store: SqliteEventStore, prefix: string, count: number): Promise<void> => {
  for (let i = 0; i < count; i++)
    await store.appendToStream(`${prefix}-${i % 7}`, [newEvent('Noted', { i, text: 'y'.repeat(200) })]);
};

const seed = async (file: string, prefix: string, count: number): Promise<void> => {
  const store = SqliteEventStore.open(file);
  await appendMany(store, prefix, count);
  await store.close();
};

const query = (file: string, sql: string): unknown[] => {
  const db = new Database(file, { fileMustExist: true });
  try {
    return db.prepare(sql).raw().all();
  } finally {
    db.close();
  }
};

const hashOf = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

const addLease = (file: string, expiresAt: number): void => {
  const db = new Database(file, { fileMustExist: true });
  db.exec(
    'CREATE TABLE IF NOT EXISTS ops_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL, epoch BIGINT NOT NULL)',
  );
  db.prepare("INSERT INTO ops_leases VALUES ('relay:kafka', 'worker-7@host', ?, 1)").run(expiresAt);
  db.close();
};

describe('restoreStoreFile', () => {
  let root: string;
  let dataDir: string;
  let current: string;
  let backup: string;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'restore-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir);
    current = join(dataDir, 'engine.db');
    const old = join(root, 'old.db');
    await seed(old, 'old', 100);
    backup = join(root, 'backup.db');
    await backupStoreFile(old, backup);
    await seed(current, 'now', 250);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Everything in DATA_DIR, with a hash of each file: "nothing changed" means this is equal before and after. */
  const snapshot = (): Record<string, string> =>
    Object.fromEntries(readdirSync(dataDir).map((name) => [name, hashOf(join(dataDir, name))]));

  it('swaps the backup in and keeps the current store aside with everything, even what only its -wal held', async () => {
    // A store left by a killed process: 50 of its events are only in engine.db-wal.
    const crashed = join(root, 'crashed');
    mkdirSync(crashed);
    const live = SqliteEventStore.open(join(crashed, 'engine.db'));
    live.db.pragma('wal_autocheckpoint = 0');
    await appendMany(live, 'now', 300);
    for (const suffix of ['', '-wal', '-shm']) copyFileSync(join(crashed, `engine.db${suffix}`), `${current}${suffix}`);
    await live.close();

    const summary = await restoreStoreFile(backup, current, { now: () => Date.UTC(2026, 0, 15, 3, 4, 5) });

    expect(summary).toMatchObject({ restored: current, from: backup, events: 100, headPosition: 100 });
    expect(summary.keptAs).toBe(`${current}.before-restore-20260115T030405Z`);
    expect(readdirSync(dataDir).sort()).toEqual(['engine.db', 'engine.db.before-restore-20260115T030405Z']);
    expect(query(current, 'SELECT COUNT(*), MAX(position) FROM events')).toEqual([[100, 100]]);
    expect(query(current, 'PRAGMA integrity_check')).toEqual([['ok']]);
    expect(query(summary.keptAs as string, 'SELECT COUNT(*) FROM events')).toEqual([[300]]);
    // The restored store works as a store: the next append follows the restored head.
    const store = SqliteEventStore.open(current);
    expect((await store.appendToStream('old-0', [newEvent('Noted')], { expectedRevision: 14 })).position).toBe(101);
    await store.close();
  });

  it('refuses while a lease is live, and changes nothing; an expired lease does not stop it', async () => {
    addLease(current, 1_000_000);
    const before = snapshot();
    await expect(restoreStoreFile(backup, current, { now: () => 999_999 })).rejects.toMatchObject({
      code: 'STORE_FILE.PROCESS_RUNNING',
      message: expect.stringContaining('relay:kafka (held by worker-7@host until 1970-01-01T00:16:40.000Z)'),
    });
    expect(snapshot()).toEqual(before);

    const summary = await restoreStoreFile(backup, current, { now: () => 1_000_000 });
    expect(summary.events).toBe(100);
  });

  it('refuses while another connection has the store open, and changes nothing that matters', async () => {
    const engine = SqliteEventStore.open(current);
    try {
      await expect(restoreStoreFile(backup, current)).rejects.toMatchObject({ code: 'STORE_FILE.IN_USE' });
      expect(readdirSync(dataDir).filter((n) => !n.startsWith('engine.db'))).toEqual([]);
      expect(readdirSync(dataDir).some((n) => n.includes('before-restore') || n.includes('.restore-'))).toBe(false);
      expect(await engine.headPosition()).toBe(250);
    } finally {
      await engine.close();
    }
    expect(query(current, 'SELECT COUNT(*) FROM events')).toEqual([[250]]);
  });

  it('restores into a DATA_DIR that does not exist yet (a new host)', async () => {
    const fresh = join(root, 'new-host', 'data', 'engine.db');
    const summary = await restoreStoreFile(backup, fresh);
    expect(summary).toMatchObject({ keptAs: null, events: 100 });
    expect(readdirSync(join(root, 'new-host', 'data'))).toEqual(['engine.db']);
  });

  it('refuses a current store it cannot read unless forced, then keeps it aside untouched', async () => {
    writeFileSync(current, 'not a database at all, but somebody needs it back');
    const before = snapshot();
    await expect(restoreStoreFile(backup, current)).rejects.toMatchObject({ code: 'STORE_FILE.CURRENT_UNREADABLE' });
    expect(snapshot()).toEqual(before);

    const summary = await restoreStoreFile(backup, current, { force: true });
    expect(readFileSync(summary.keptAs as string, 'utf8')).toBe('not a database at all, but somebody needs it back');
    expect(query(current, 'SELECT COUNT(*) FROM events')).toEqual([[100]]);
  });

  it.each([
    ['a backup that does not exist', (b: string) => rmSync(b), 'STORE_FILE.MISSING'],
    ['a directory', (b: string) => (rmSync(b), mkdirSync(b)), 'STORE_FILE.NOT_A_FILE'],
    ['a file that is not SQLite', (b: string) => writeFileSync(b, 'PK\u0003\u0004 a zip, maybe'), 'STORE_FILE.NOT_SQLITE'],
    [
      'a SQLite file without the events table',
      (b: string) => {
        rmSync(b);
        const db = new Database(b);
        db.exec('CREATE TABLE notes (x); INSERT INTO notes VALUES (1)');
        db.close();
      },
      'STORE_FILE.NO_EVENTS_TABLE',
    ],
    [
      'a damaged backup',
      (b: string) => {
        const fd = openSync(b, 'r+');
        writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 4096 * 3);
        closeSync(fd);
      },
      'STORE_FILE.DAMAGED',
    ],
    ['a backup with a -wal file beside it', (b: string) => writeFileSync(`${b}-wal`, 'frames'), 'STORE_FILE.HAS_WAL'],
  ])('refuses %s and changes nothing', async (_, spoil, code) => {
    spoil(backup);
    const before = snapshot();
    await expect(restoreStoreFile(backup, current)).rejects.toMatchObject({ code });
    expect(snapshot()).toEqual(before);
  });

  it('refuses to restore the store onto itself', async () => {
    const before = snapshot();
    await expect(restoreStoreFile(current, current)).rejects.toMatchObject({ code: 'STORE_FILE.SAME_FILE' });
    expect(snapshot()).toEqual(before);
    expect(existsSync(`${current}-wal`)).toBe(false);
  });
});
