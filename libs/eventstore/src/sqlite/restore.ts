import { randomBytes } from 'node:crypto';
import { constants, copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { StoreFileError } from './store-file.errors';
import {
  assertSqliteFile,
  fsyncDirectory,
  hasTable,
  isSqliteCode,
  openExisting,
  removeWithCompanions,
  sameFile,
  sealAndInspect,
  type StoreFileContents,
} from './store-file';

/** The lease table of production mode (one row per lease; `expires_at` in epoch ms). */
export const OPS_LEASES_TABLE = 'ops_leases';

export type LiveLease = Readonly<{ name: string; holder: string; expiresAt: number }>;

/** Leases that have not expired at `nowMs`: each means an engine or worker is alive on this file. None when the table does not exist. */
export const liveLeases = (db: Database.Database, nowMs: number): LiveLease[] =>
  hasTable(db, OPS_LEASES_TABLE)
    ? (db
        .prepare(`SELECT name, holder, expires_at AS expiresAt FROM ${OPS_LEASES_TABLE} WHERE expires_at > ? ORDER BY name`)
        .all(Math.trunc(nowMs)) as LiveLease[])
    : [];

export type RestoreOptions = Readonly<{
  /** Restore even when the current store cannot be read (it is damaged): it is kept aside all the same. */
  force?: boolean;
  now?: () => number;
}>;

export type RestoreSummary = StoreFileContents & Readonly<{ restored: string; from: string; keptAs: string | null; ms: number }>;

/**
 * Replaces the store file with a backup, only while no engine or worker uses it. The backup is
 * copied into the store's directory and verified there before anything else is touched; the current
 * file is kept as `<file>.before-restore-<time>` (with its -wal, if it had to keep one); then the copy
 * is renamed over the store, so the store is at every moment either the old file or the new one.
 */
export const restoreStoreFile = async (
  backup: string,
  storeFile: string,
  options: RestoreOptions = {},
): Promise<RestoreSummary> => {
  const started = Date.now();
  const now = options.now ?? Date.now;
  const force = options.force ?? false;
  const from = resolve(backup);
  const to = resolve(storeFile);
  assertSqliteFile(from, 'The backup');
  if (existsSync(`${from}-wal`) && statSync(`${from}-wal`).size > 0) {
    throw new StoreFileError(
      'STORE_FILE.HAS_WAL',
      `The backup ${from} has a -wal file beside it, so the file alone is not the whole database; use a file made by "npm run backup"`,
      { path: from },
    );
  }
  if (sameFile(from, to))
    throw new StoreFileError('STORE_FILE.SAME_FILE', `The backup ${from} is the store itself`, { path: from });
  // A first look, before copying anything: refuse at once while a process holds a lease.
  if (existsSync(to)) inspectCurrent(to, now(), force, false);

  mkdirSync(dirname(to), { recursive: true });
  const temp = join(dirname(to), `.${basename(to)}.restore-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    copyFileSync(from, temp, constants.COPYFILE_EXCL);
    const contents = sealAndInspect(temp, 'The backup');
    const keptAs = existsSync(to) ? setAside(to, now, force) : null;
    renameSync(temp, to);
    fsyncDirectory(dirname(to));
    return { restored: to, from, keptAs, ...contents, ms: Date.now() - started };
  } catch (error) {
    removeWithCompanions(temp);
    throw error;
  }
};

/**
 * Refuses when a lease is live or (with `exclusive`) when any other connection has the file open:
 * leaving WAL mode needs every other connection gone, which SQLite checks with its own locks.
 * Returns false when the file cannot be read and `force` lets the restore go on.
 */
const inspectCurrent = (path: string, nowMs: number, force: boolean, exclusive: boolean): boolean => {
  let db: Database.Database | undefined;
  try {
    db = openExisting(path, 0);
    const leases = liveLeases(db, nowMs);
    if (leases.length > 0) {
      const held = leases.map((l) => `${l.name} (held by ${l.holder} until ${new Date(l.expiresAt).toISOString()})`).join(', ');
      throw new StoreFileError(
        'STORE_FILE.PROCESS_RUNNING',
        `An engine or worker is running on ${path}: live lease ${held}. Stop every process that uses this DATA_DIR, then restore`,
        { path, leases },
      );
    }
    if (exclusive) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') throw inUse(path);
    }
    return true;
  } catch (error) {
    if (error instanceof StoreFileError) throw error;
    if (isSqliteCode(error, 'SQLITE_BUSY', 'SQLITE_LOCKED')) throw inUse(path);
    if (force) return false;
    throw new StoreFileError(
      'STORE_FILE.CURRENT_UNREADABLE',
      `The current store ${path} cannot be read (${(error as Error).message}), so whether a process uses it is unknown. ` +
        'Make sure no engine or worker runs on this DATA_DIR, then pass --force: the file is kept aside, not deleted',
      { path },
    );
  } finally {
    db?.close();
  }
};

const inUse = (path: string): StoreFileError =>
  new StoreFileError(
    'STORE_FILE.IN_USE',
    `Another process has ${path} open (SQLite refused exclusive access). Stop every process that uses this DATA_DIR, then restore`,
    { path },
  );

/** Checkpoints the current file into itself, then keeps it under a new name; the store's own name stays in place until the rename. */
const setAside = (path: string, now: () => number, force: boolean): string => {
  inspectCurrent(path, now(), force, true);
  const aside = freeName(`${path}.before-restore-${stamp(now())}`);
  try {
    linkSync(path, aside);
  } catch {
    copyFileSync(path, aside, constants.COPYFILE_EXCL);
  }
  // Left over only when the file could not be checkpointed: they belong to the old file, so they go with it.
  for (const suffix of ['-wal', '-journal']) {
    if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${aside}${suffix}`);
  }
  rmSync(`${path}-shm`, { force: true });
  return aside;
};

const stamp = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

const freeName = (base: string): string => {
  let name = base;
  for (let i = 2; existsSync(name); i++) name = `${base}-${i}`;
  return name;
};
