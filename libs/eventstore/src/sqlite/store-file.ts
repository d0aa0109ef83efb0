import { closeSync, fsyncSync, openSync, readSync, realpathSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreFileError } from './store-file.errors';

/*
 * Checks shared by backup and restore of the embedded store's file (`$DATA_DIR/engine.db`).
 */

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** What a verified copy holds. */
export type StoreFileContents = Readonly<{ bytes: number; events: number; headPosition: number }>;

/** Fails unless `path` is an existing regular file that starts with the SQLite header. Reads 16 bytes, writes nothing. */
export const assertSqliteFile = (path: string, role: string): void => {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new StoreFileError('STORE_FILE.MISSING', `${role} ${path} does not exist`, { path });
  }
  if (!stat.isFile()) throw new StoreFileError('STORE_FILE.NOT_A_FILE', `${role} ${path} is not a regular file`, { path });
  const header = Buffer.alloc(SQLITE_MAGIC.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_MAGIC)) {
    throw new StoreFileError('STORE_FILE.NOT_SQLITE', `${role} ${path} is not a SQLite database`, { path });
  }
};

/** Opens a database file that must already exist; never creates one. */
export const openExisting = (path: string, busyTimeoutMs = 5000): Database.Database => {
  const db = new Database(path, { fileMustExist: true });
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  return db;
};

export const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

export const assertEventsTable = (db: Database.Database, path: string, role: string): void => {
  if (!hasTable(db, 'events')) {
    throw new StoreFileError('STORE_FILE.NO_EVENTS_TABLE', `${role} ${path} has no events table: it is not an engine store`, {
      path,
    });
  }
};

/** Fails unless `path` is an existing engine store (a SQLite file with the events table). Creates nothing. */
export const assertStoreFile = (path: string, role = 'The store'): void => {
  assertSqliteFile(path, role);
  let db: Database.Database | undefined;
  try {
    db = openExisting(path);
    assertEventsTable(db, path, role);
  } catch (error) {
    if (isSqliteCode(error, 'SQLITE_NOTADB', 'SQLITE_CORRUPT')) {
      throw new StoreFileError('STORE_FILE.DAMAGED', `${role} ${path} cannot be read: ${(error as Error).message}`, { path });
    }
    throw error;
  } finally {
    db?.close();
  }
};

/**
 * Makes a copy self-contained (rollback journal, so it is one file with no -wal beside it) and checks
 * it: the whole of `PRAGMA integrity_check`, the events table, its count and head. Then flushes it to disk.
 */
export const sealAndInspect = (path: string, role: string): StoreFileContents => {
  let db: Database.Database | undefined;
  try {
    db = openExisting(path);
    db.pragma('journal_mode = DELETE');
    const problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new StoreFileError(
        'STORE_FILE.DAMAGED',
        `${role} ${path} fails the integrity check: ${problems.slice(0, 3).join('; ')}`,
        {
          path,
          problems: problems.slice(0, 10),
        },
      );
    }
    assertEventsTable(db, path, role);
    const { events, head } = db.prepare('SELECT COUNT(*) AS events, COALESCE(MAX(position), 0) AS head FROM events').get() as {
      events: number;
      head: number;
    };
    db.close();
    db = undefined;
    fsyncPath(path);
    return { bytes: statSync(path).size, events, headPosition: head };
  } catch (error) {
    if (error instanceof StoreFileError) throw error;
    if (isSqliteCode(error, 'SQLITE_NOTADB', 'SQLITE_CORRUPT')) {
      throw new StoreFileError(
        'STORE_FILE.DAMAGED',
        `${role} ${path} cannot be read as a SQLite database: ${(error as Error).message}`,
        {
          path,
        },
      );
    }
    throw error;
  } finally {
    db?.close();
  }
};

/** True when the error is one of SQLite's, with one of these (primary or extended) codes. */
export const isSqliteCode = (error: unknown, ...codes: string[]): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.some((c) => code === c || code.startsWith(`${c}_`));
};

/** Flushes a file's contents to disk. */
export const fsyncPath = (path: string): void => {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/** Flushes a directory, so that a rename in it survives a power loss (where the platform allows it). */
export const fsyncDirectory = (path: string): void => {
  try {
    fsyncPath(path);
  } catch (error) {
    if (!isSystemCode(error, 'EISDIR', 'EPERM', 'EINVAL', 'EBADF')) throw error;
  }
};

const isSystemCode = (error: unknown, ...codes: string[]): boolean =>
  codes.includes(String((error as { code?: unknown } | null)?.code));

/** Removes a database file and any companion SQLite may have left beside it. */
export const removeWithCompanions = (path: string): void => {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
};

/** Same file after resolving links, or the same path when the destination does not exist yet. */
export const sameFile = (a: string, b: string): boolean => {
  const real = (path: string): string => {
    try {
      return realpathSync(path);
    } catch {
      try {
        return join(realpathSync(dirname(path)), basename(path));
      } catch {
        return resolve(path);
      }
    }
  };
  return real(a) === real(b);
};
