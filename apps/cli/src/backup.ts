import 'reflect-metadata';
import { backupStoreFile } from '@app/eventstore';
import { sqliteFile } from '@app/platform';
import { EXIT, embeddedConfig, oneFileArgument, runCommand } from './exit-codes';
import { ProgressBar } from './progress-bar';

const USAGE = `Usage: npm run backup -- <destination-file> [--force]

Copies the embedded store, $DATA_DIR/engine.db (events, checkpoints and, without READSTORE_URL,
the read models), to <destination-file> while the engine keeps running and writing. The copy is one
consistent snapshot, written under a temporary name, checked (integrity, events, head) and only then
renamed into place. Progress goes to stderr; one JSON line to stdout:
  {"file","bytes","events","headPosition","ms","restarts"}

  --force   replace <destination-file> if it exists

Exit codes: 0 done; 64 bad arguments; 65 DATA_DIR holds no engine store; 66 no store in DATA_DIR;
73 the destination exists (without --force) or cannot be written; 78 bad configuration.
`;

const main = async (): Promise<number> => {
  const args = oneFileArgument('backup', USAGE, 'destination file');
  if (typeof args === 'number') return args;
  const config = embeddedConfig('backup');
  if (typeof config === 'number') return config;

  const bar = new ProgressBar();
  const started = Date.now();
  const rate = (pages: number): number => pages / Math.max(0.001, (Date.now() - started) / 1000);
  let pages = 0;
  const summary = await backupStoreFile(sqliteFile(config), args.file, {
    force: args.force,
    onProgress: ({ totalPages, remainingPages }) => {
      pages = totalPages;
      bar.update('backup', totalPages - remainingPages, totalPages, rate(totalPages - remainingPages), false, 'pages');
    },
    onVerifying: () => {
      bar.update('backup', pages, pages, rate(pages), true, 'pages');
      process.stderr.write('backup: checking the copy (integrity, events, head)\n');
    },
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return EXIT.ok;
};

runCommand('backup', main);
