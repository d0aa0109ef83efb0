import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newEvent } from '../testing/event-fixtures';
import { SqliteCheckpointStore } from '../subscriptions/sqlite-checkpoint-store';
import { backupStoreFile } from './backup';
import { SqliteEventStore } from './sqlite-event-store';

const payload = 'x'.repeat(400);

/** A store with `count` events in pairs (one append, two streams each), a checkpoint and a read-model-like table. */
const seedStore = async (file: string, count: number): Promise<void> => {
  const store = SqliteEventStore.open(file);
  for (let i = 0; i < count; i += 2) {
    await store.appendToStreams([
      { streamId: `pair-a${i}`, events: [newEvent('Paired', { i, payload })] },
      { streamId: `pair-b${i}`, events: [newEvent('Paired', { i, payload })] },
    ]);
  }
  await new SqliteCheckpointStore(store.db).store('relay:kafka', count);
  store.db.exec("CREATE TABLE rm_example (id TEXT PRIMARY KEY); INSERT INTO rm_example VALUES ('kept')");
  await store.close();
};

const rows = (file: string, sql: string): unknown[] => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).raw().all();
  } finally {
    db.close();
  }
};

describe('backupStoreFile', () => {
  let dir: string;
  let store: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'backup-'));
    store = join(dir, 'engine.db');
    await seedStore(store, 2000);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a verified, self-contained copy of every table, with progress, and says what it holds', async () => {
    const destination = join(dir, 'out', 'copy.db');
    mkdirSync(join(dir, 'out'));
    const progress: number[] = [];
    const summary = await backupStoreFile(store, destination, {
      pagesPerStep: 16,
      onProgress: (p) => progress.push(p.remainingPages),
    });

    expect(summary).toMatchObject({ file: destination, events: 2000, headPosition: 2000, restarts: 0 });
    expect(summary.bytes).toBe(readFileSync(destination).length);
    // Several steps, each leaving fewer pages to copy.
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => b - a));
    // One file, in rollback-journal mode, with nothing beside it but the copy.
    expect(readdirSync(join(dir, 'out'))).toEqual(['copy.db']);
    expect(rows(destination, 'PRAGMA journal_mode')).toEqual([['delete']]);
    expect(rows(destination, 'PRAGMA integrity_check')).toEqual([['ok']]);
    expect(rows(destination, 'SELECT event_id, stream_id, revision, data, metadata FROM events ORDER BY position')).toEqual(
      rows(store, 'SELECT event_id, stream_id, revision, data, metadata FROM events ORDER BY position'),
    );
    expect(rows(destination, 'SELECT name, position FROM checkpoints')).toEqual([['relay:kafka', 2000]]);
    expect(rows(destination, 'SELECT id FROM rm_example')).toEqual([['kept']]);
  });

  it('takes one snapshot while another connection keeps appending: whole appends only, a prefix of the store', async () => {
    const writer = SqliteEventStore.open(store);
    let appends = 0;
    const summary = await backupStoreFile(store, join(dir, 'copy.db'), {
      pagesPerStep: 8,
      // Between steps: another connection writes, which makes SQLite restart the copy.
      onProgress: () => {
        if (appends >= 5) return;
        appends++;
        void writer.appendToStreams([
          { streamId: `live-a${appends}`, events: [newEvent('Paired', { payload })] },
          { streamId: `live-b${appends}`, events: [newEvent('Paired', { payload })] },
        ]);
      },
    });
    await writer.close();

    expect(summary.restarts).toBeGreaterThanOrEqual(1);
    expect(summary.events % 2).toBe(0);
    expect(summary.events).toBeGreaterThan(2000);
    const copied = rows(join(dir, 'copy.db'), 'SELECT position, event_id FROM events ORDER BY position');
    const source = rows(store, 'SELECT position, event_id FROM events ORDER BY position');
    expect(copied).toEqual(source.slice(0, copied.length));
    expect(copied.length).toBe(summary.events);
    expect((copied[copied.length - 1] as number[])[0]).toBe(summary.headPosition);
  });

  it('replaces an existing destination only with force, and never the store itself', async () => {
    const destination = join(dir, 'copy.db');
    writeFileSync(destination, 'an older file');
    await expect(backupStoreFile(store, destination)).rejects.toMatchObject({ code: 'STORE_FILE.DESTINATION_EXISTS' });
    expect(readFileSync(destination, 'utf8')).toBe('an older file');

    const summary = await backupStoreFile(store, destination, { force: true });
    expect(summary.events).toBe(2000);
    expect(rows(destination, 'SELECT COUNT(*) FROM events')).toEqual([[2000]]);

    symlinkSync(store, join(dir, 'link.db'));
    for (const same of [store, join(dir, 'link.db'), join(dir, '.', 'engine.db')]) {
      await expect(backupStoreFile(store, same, { force: true })).rejects.toMatchObject({ code: 'STORE_FILE.SAME_FILE' });
    }
    expect(rows(store, 'SELECT COUNT(*) FROM events')).toEqual([[2000]]);
  });

  it.each([
    [
      'a destination in a directory that does not exist',
      (d: string) => join(d, 'nowhere', 'copy.db'),
      'STORE_FILE.DESTINATION_DIRECTORY_MISSING',
    ],
    [
      'a destination that is a directory',
      (d: string) => (mkdirSync(join(d, 'sub')), join(d, 'sub')),
      'STORE_FILE.DESTINATION_IS_DIRECTORY',
    ],
  ])('refuses %s and leaves nothing behind', async (_, destinationIn, code) => {
    const destination = destinationIn(dir);
    const before = readdirSync(dir).sort();
    await expect(backupStoreFile(store, destination, { force: true })).rejects.toMatchObject({ code });
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it.each([
    ['no store at all', (file: string) => rmSync(file), 'STORE_FILE.MISSING'],
    [
      'a file that is not SQLite',
      (file: string) => writeFileSync(file, 'hello, this is not a database'),
      'STORE_FILE.NOT_SQLITE',
    ],
    ['an empty file', (file: string) => writeFileSync(file, ''), 'STORE_FILE.NOT_SQLITE'],
    [
      'a SQLite file without the events table',
      (file: string) => {
        rmSync(file);
        const db = new Database(file);
        db.exec('CREATE TABLE other (x)');
        db.close();
      },
      'STORE_FILE.NO_EVENTS_TABLE',
    ],
  ])('refuses to back up %s, creating nothing', async (_, spoil, code) => {
    spoil(store);
    const before = readdirSync(dir).sort();
    await expect(backupStoreFile(store, join(dir, 'copy.db'))).rejects.toMatchObject({ code });
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, 'copy.db'))).toBe(false);
  });
});
