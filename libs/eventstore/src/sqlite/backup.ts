import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { StoreFileError } from './store-file.errors';
import {
  assertEventsTable,
  assertSqliteFile,
  fsyncDirectory,
  isSqliteCode,
  openExisting,
  removeWithCompanions,
  sameFile,
  sealAndInspect,
  type StoreFileContents,
} from './store-file';

export type BackupProgress = Readonly<{ totalPages: number; remainingPages: number; restarts: number }>;

export type BackupOptions = Readonly<{
  /** Replace an existing destination file (never the store itself, never a directory). */
  force?: boolean;
  onProgress?: (progress: BackupProgress) => void;
  /** Called once the pages are copied, before the (slower) integrity check of the copy. */
  onVerifying?: () => void;
  /** Pages copied per step while nothing else writes (default 1024, 4 MiB at the default page size). */
  pagesPerStep?: number;
}>;

export type BackupSummary = StoreFileContents & Readonly<{ file: string; ms: number; restarts: number }>;

/** Every remaining page in one step: the step holds one read snapshot, which WAL lets writers run beside. */
const ALL_PAGES = 0x7fffffff;

/**
 * An online, consistent copy of the store file while the engine keeps writing, through SQLite's
 * backup API. The copy goes to a temporary name beside the destination, is checked (integrity,
 * events, head) and flushed, and only then renamed into place, so the destination is either absent,
 * the old file (with `force`), or a complete verified copy.
 *
 * The backup API restarts whenever another connection writes between two steps. So it copies in
 * steps (for progress) until the first restart, then copies everything left in one step: one read
 * transaction, one snapshot, which a continuous writer cannot restart.
 */
export const backupStoreFile = async (
  source: string,
  destination: string,
  options: BackupOptions = {},
): Promise<BackupSummary> => {
  const started = Date.now();
  const from = resolve(source);
  const to = resolve(destination);
  assertSqliteFile(from, 'The store');
  checkDestination(from, to, options.force ?? false);

  const db = openExisting(from);
  const temp = join(dirname(to), `.${basename(to)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    assertEventsTable(db, from, 'The store');
    let restarts = 0;
    let previousRemaining = Number.POSITIVE_INFINITY;
    const pagesPerStep = options.pagesPerStep ?? 1024;
    await db.backup(temp, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > previousRemaining) restarts++;
        previousRemaining = remainingPages;
        options.onProgress?.({ totalPages, remainingPages, restarts });
        return restarts > 0 ? ALL_PAGES : pagesPerStep;
      },
    });
    options.onVerifying?.();
    const contents = sealAndInspect(temp, 'The copy');
    renameSync(temp, to);
    fsyncDirectory(dirname(to));
    return { file: to, ...contents, restarts, ms: Date.now() - started };
  } catch (error) {
    removeWithCompanions(temp);
    if (isSqliteCode(error, 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_FULL')) {
      throw new StoreFileError(
        'STORE_FILE.CANNOT_CREATE',
        `Cannot write the copy in ${dirname(to)}: ${(error as Error).message}`,
        {
          path: to,
        },
      );
    }
    throw error;
  } finally {
    db.close();
  }
};

const checkDestination = (source: string, destination: string, force: boolean): void => {
  const directory = dirname(destination);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new StoreFileError('STORE_FILE.DESTINATION_DIRECTORY_MISSING', `The directory ${directory} does not exist`, {
      path: destination,
    });
  }
  if (sameFile(source, destination)) {
    throw new StoreFileError('STORE_FILE.SAME_FILE', `The destination ${destination} is the store itself`, { path: destination });
  }
  if (!existsSync(destination)) return;
  if (statSync(destination).isDirectory()) {
    throw new StoreFileError(
      'STORE_FILE.DESTINATION_IS_DIRECTORY',
      `The destination ${destination} is a directory; name a file`,
      {
        path: destination,
      },
    );
  }
  if (!force) {
    throw new StoreFileError(
      'STORE_FILE.DESTINATION_EXISTS',
      `The destination ${destination} exists; pass --force to replace it`,
      {
        path: destination,
      },
    );
  }
};
