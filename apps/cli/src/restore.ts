import 'reflect-metadata';
import { restoreStoreFile } from '@app/eventstore';
import { sqliteFile } from '@app/platform';
import { EXIT, embeddedConfig, oneFileArgument, runCommand } from './exit-codes';

const USAGE = `Usage: npm run restore -- <backup-file> [--force]

Replaces the embedded store, $DATA_DIR/engine.db, with a file made by "npm run backup", only while
no engine or worker runs on DATA_DIR (a live lease in ops_leases, or any process with the file open,
stops it). The backup is copied into DATA_DIR and verified first; the current file is kept as
engine.db.before-restore-<time>; then the copy is renamed over engine.db. One JSON line to stdout:
  {"restored","from","keptAs","bytes","events","headPosition","ms"}

  --force   go on when the current engine.db cannot be read at all (it is kept aside all the same);
            it never overrides a running process

Exit codes: 0 done; 64 bad arguments; 65 not a valid backup (not SQLite, damaged, no events table);
66 the backup file does not exist or is not a file; 75 an engine or worker is running (stop it, retry);
78 bad configuration.
`;

const main = async (): Promise<number> => {
  const args = oneFileArgument('restore', USAGE, 'backup file');
  if (typeof args === 'number') return args;
  const config = embeddedConfig('restore');
  if (typeof config === 'number') return config;

  const summary = await restoreStoreFile(args.file, sqliteFile(config), { force: args.force });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (config.READSTORE_URL) {
    // The read models and the relay's and sagas' checkpoints live in PostgreSQL: they are ahead of the restored log.
    process.stderr.write(
      `restore: READSTORE_URL is set, so the read models and checkpoints in PostgreSQL are ahead of the restored events (head ${summary.headPosition}). ` +
        `Before starting the engine: lower every checkpoint above ${summary.headPosition} to it, then "npm run rebuild -- --all" (docs/operations.md, "Backup and restore")\n`,
    );
  }
  return EXIT.ok;
};

runCommand('restore', main);
