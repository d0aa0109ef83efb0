import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { type Principal, ROLES, type Role, signToken } from '@app/auth';
import { type AppConfig, ConfigError, loadConfig } from '@app/config';
import { tokenSecret } from '@app/platform';

/** EX_USAGE: the command was used incorrectly (sysexits.h). */
export const EXIT_USAGE = 64;
/** EX_CONFIG, as for the engine: a bad environment variable. */
export const EXIT_CONFIG = 78;
const MIN_TTL = 60;
const MAX_TTL = 31_536_000;

export const USAGE = `Usage: npm run -s token -- --user <userId> --unit <unitId> --roles <role,...> [--oversight <unitId,...>] [--ttl <seconds>]

Prints a bearer token for the engine on stdout, signed with the engine's key: JWT_SECRET when set,
otherwise (embedded mode) the key in $DATA_DIR/jwt-secret, created if missing. The issuer is JWT_ISSUER.

  --user <userId>          the token's subject (required)
  --unit <unitId>          the unit the holder acts for (required)
  --roles <role,...>       one or more of ${ROLES.join(', ')} (required)
  --oversight <unitId,...> units whose subtrees the holder may also read
  --ttl <seconds>          lifetime, ${MIN_TTL} to ${MAX_TTL} (default: TOKEN_TTL_SECONDS, 43200)
  -h, --help               this text

Example: TOKEN=$(npm run -s token -- --user admin --unit TW --roles admin)
`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type TokenRequest = Readonly<{ principal: Principal; ttlSeconds?: number }>;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const required = (value: string | undefined, flag: string): string => {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length === 0) throw new UsageError(`${flag} is required`);
  if (/\s/.test(trimmed)) throw new UsageError(`${flag} must not contain spaces, got "${trimmed}"`);
  return trimmed;
};

/** Reads the command line; anything wrong throws a UsageError naming it. `help` when -h/--help is given. */
export const parseTokenArgs = (args: readonly string[]): TokenRequest | 'help' => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        user: { type: 'string' },
        unit: { type: 'string' },
        roles: { type: 'string' },
        oversight: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // parseArgs names the flag: "Unknown option '--usr'", "Option '--user <value>' argument missing", …
    const { message } = error as Error;
    const ambiguous = /^Option '(--[a-z]+)' argument is ambiguous/.exec(message);
    throw new UsageError(ambiguous ? `${ambiguous[1]} needs a value` : message.split('\n')[0]);
  }
  if (values.help) return 'help';
  const userId = required(values.user as string | undefined, '--user');
  const unitId = required(values.unit as string | undefined, '--unit');
  const roles = [...new Set(list(values.roles as string | undefined))];
  if (roles.length === 0) throw new UsageError(`--roles is required: one or more of ${ROLES.join(', ')}, comma-separated`);
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown role${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => `"${r}"`).join(', ')}: use ${ROLES.join(', ')}`,
    );
  }
  const oversight = [...new Set(list(values.oversight as string | undefined))];
  let ttlSeconds: number | undefined;
  if (values.ttl !== undefined) {
    const ttl = String(values.ttl).trim();
    if (!/^\d+$/.test(ttl) || Number(ttl) < MIN_TTL || Number(ttl) > MAX_TTL) {
      throw new UsageError(`--ttl must be a whole number of seconds from ${MIN_TTL} to ${MAX_TTL}, got "${ttl}"`);
    }
    ttlSeconds = Number(ttl);
  }
  return { principal: { userId, unitId, roles: roles as Role[], oversight }, ttlSeconds };
};

/** The CLI without its process: returns the exit code and what goes to stdout and stderr. */
export const mintTokenCli = (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  nowSeconds = Math.floor(Date.now() / 1000),
): { code: number; stdout: string; stderr: string } => {
  let request: TokenRequest | 'help';
  try {
    request = parseTokenArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { code: EXIT_USAGE, stdout: '', stderr: `token: ${error.message}\nRun with --help for usage.\n` };
  }
  if (request === 'help') return { code: 0, stdout: USAGE, stderr: '' };
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return { code: EXIT_CONFIG, stdout: '', stderr: `token: ${error.message}\n` };
    throw error;
  }
  const expiresInSeconds = request.ttlSeconds ?? config.TOKEN_TTL_SECONDS;
  const token = signToken(request.principal, tokenSecret(config), {
    issuer: config.JWT_ISSUER,
    expiresInSeconds,
    nowSeconds,
  });
  const { userId, unitId, roles, oversight } = request.principal;
  const key = config.JWT_SECRET ? 'JWT_SECRET' : `${config.DATA_DIR}/jwt-secret`;
  const expires = new Date((nowSeconds + expiresInSeconds) * 1000).toISOString();
  const hint =
    `token: ${userId} at ${unitId} as ${roles.join(',')}${oversight.length > 0 ? ` (oversight ${oversight.join(',')})` : ''}, ` +
    `expires ${expires}, signed with ${key}; send it as "Authorization: Bearer <token>"\n`;
  return { code: 0, stdout: `${token}\n`, stderr: hint };
};

if (require.main === module) {
  const { code, stdout, stderr } = mintTokenCli(process.argv.slice(2), process.env);
  process.stdout.write(stdout);
  process.stderr.write(stderr);
  process.exitCode = code;
}
