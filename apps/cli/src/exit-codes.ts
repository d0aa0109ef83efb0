import { parseArgs } from 'node:util';
import { type AppConfig, ConfigError, loadConfig } from '@app/config';

/** sysexits(3) codes, so scripts can tell a usage error from a busy store from a damaged file. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 64,
  dataError: 65,
  noInput: 66,
  unavailable: 69,
  cannotCreate: 73,
  tryLater: 75,
  config: 78,
  interrupted: 130,
} as const;

const BY_CODE: Record<string, number> = {
  'STORE_FILE.MISSING': EXIT.noInput,
  'STORE_FILE.NOT_A_FILE': EXIT.noInput,
  'STORE_FILE.NOT_SQLITE': EXIT.dataError,
  'STORE_FILE.NO_EVENTS_TABLE': EXIT.dataError,
  'STORE_FILE.DAMAGED': EXIT.dataError,
  'STORE_FILE.HAS_WAL': EXIT.dataError,
  'STORE_FILE.SAME_FILE': EXIT.usage,
  'STORE_FILE.DESTINATION_EXISTS': EXIT.cannotCreate,
  'STORE_FILE.DESTINATION_IS_DIRECTORY': EXIT.cannotCreate,
  'STORE_FILE.DESTINATION_DIRECTORY_MISSING': EXIT.cannotCreate,
  'STORE_FILE.CANNOT_CREATE': EXIT.cannotCreate,
  'STORE_FILE.PROCESS_RUNNING': EXIT.tryLater,
  'STORE_FILE.IN_USE': EXIT.tryLater,
  'STORE_FILE.CURRENT_UNREADABLE': EXIT.tryLater,
  'MIGRATION.CONFLICT': EXIT.dataError,
  'MIGRATION.TARGET_BEHIND': EXIT.dataError,
  'MIGRATION.CHECKPOINT_NOT_IN_TARGET': EXIT.dataError,
  'MIGRATION.CHECKPOINT_NOT_IN_SOURCE': EXIT.dataError,
  'MIGRATION.SOURCE_OUT_OF_ORDER': EXIT.dataError,
};

/** The exit code for an error with a stable code; undefined for an unexpected error. */
export const exitCodeOf = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? BY_CODE[code] : undefined;
};

/** The configuration from the environment, or the exit code after saying what is wrong. */
export const configOrExit = (command: string): AppConfig | number => {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${command}: ${error.message}\n`);
    return EXIT.config;
  }
};

/** The configuration of an embedded deployment, or the exit code after saying what is wrong. */
export const embeddedConfig = (command: string): AppConfig | number => {
  const config = configOrExit(command);
  if (typeof config === 'number') return config;
  if (config.EVENTSTORE_URL) {
    process.stderr.write(
      `${command}: EVENTSTORE_URL is set, so the events live in KurrentDB, not in DATA_DIR; ` +
        "this command works on the embedded store only (back KurrentDB up with the server's own tools)\n",
    );
    return EXIT.config;
  }
  return config;
};

/**
 * `<command> <file> [--force] [-h]`: the one file named, or the exit code after printing the usage
 * (0 for --help). `what` names the file in the error ("destination file", "backup file").
 */
export const oneFileArgument = (command: string, usage: string, what: string): { file: string; force: boolean } | number => {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`${command}: ${(error as Error).message}\n\n${usage}`);
    return EXIT.usage;
  }
  if (args.values.help) {
    process.stdout.write(usage);
    return EXIT.ok;
  }
  if (args.positionals.length !== 1 || args.positionals[0].trim() === '') {
    process.stderr.write(`${command}: name one ${what}\n\n${usage}`);
    return EXIT.usage;
  }
  return { file: args.positionals[0], force: args.values.force ?? false };
};

/**
 * Runs a command and exits with the code it returns. An error with a stable code (a bad file, a
 * running process, a conflict) is said in one line and exits with its code; anything else prints
 * its stack and exits with 1.
 */
export const runCommand = (command: string, main: () => Promise<number>): void => {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const code = exitCodeOf(error);
      if (code !== undefined) {
        process.stderr.write(`${command}: ${(error as Error).message}\n`);
        process.exit(code);
      }
      process.stderr.write(`${command} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(EXIT.failed);
    },
  );
};
