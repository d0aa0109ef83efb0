import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() || undefined : value);
const integer = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Every setting the engine reads, from environment variables. With none of the external
 * URLs set, the engine runs embedded: SQLite in DATA_DIR, no Kafka.
 */
export class AppConfig {
  @Transform(integer)
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(trimmed)
  @IsString()
  HOST = '127.0.0.1';

  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @Transform(trimmed)
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsIn(['NORMAL', 'FULL'], { message: 'SQLITE_DURABILITY must be NORMAL or FULL' })
  SQLITE_DURABILITY: 'NORMAL' | 'FULL' = 'NORMAL';

  @Transform(trimmed)
  @IsOptional()
  @Matches(/^(kurrentdb|esdb|kdb)(\+discover)?:\/\/\S+$/, {
    message: 'EVENTSTORE_URL must be a KurrentDB connection string such as kurrentdb://host:2113?tls=false',
  })
  EVENTSTORE_URL?: string;

  @Transform(trimmed)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'READSTORE_URL must be a PostgreSQL URL such as postgres://user@host:5432/db' })
  READSTORE_URL?: string;

  @Transform(trimmed)
  @IsOptional()
  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS?: string;

  @Transform(trimmed)
  @IsOptional()
  @IsString()
  KAFKA_TOPIC_PREFIX = 'vwu';

  /** HS256 key for bearer tokens. Embedded mode makes one in DATA_DIR when unset; production requires it. */
  @Transform(trimmed)
  @IsOptional()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(trimmed)
  @IsString()
  JWT_ISSUER = 'vwu-engine';

  @Transform(integer)
  @IsInt({ message: 'TOKEN_TTL_SECONDS must be a whole number' })
  @Min(60)
  @Max(31_536_000)
  TOKEN_TTL_SECONDS = 43_200;

  /** A JSON file of the hierarchy's levels; the defaults (central … group) when unset. */
  @Transform(trimmed)
  @IsOptional()
  @IsString()
  LEVELS_FILE?: string;

  /** A JSON file `{ "add": [dates], "remove": [dates] }` adjusting the built-in Vietnamese public holidays. */
  @Transform(trimmed)
  @IsOptional()
  @IsString()
  HOLIDAYS_FILE?: string;

  /** Whether this process fires deadline timers (period openings, reminders, overdue marks, escalations). */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(['on', 'off'], { message: 'SCHEDULER must be on or off' })
  SCHEDULER: 'on' | 'off' = 'on';

  @Transform(integer)
  @IsInt({ message: 'SCHEDULER_BATCH_SIZE must be a whole number' })
  @Min(1)
  @Max(10_000)
  SCHEDULER_BATCH_SIZE = 500;

  @Transform(integer)
  @IsInt({ message: 'SCHEDULER_INTERVAL_MS must be a whole number' })
  @Min(10)
  @Max(3_600_000)
  SCHEDULER_INTERVAL_MS = 1_000;

  /** How long a claimed timer stays off other schedulers' passes; a scheduler that dies mid-pass leaves its claims for this long. */
  @Transform(integer)
  @IsInt({ message: 'SCHEDULER_CLAIM_MS must be a whole number' })
  @Min(1_000)
  @Max(3_600_000)
  SCHEDULER_CLAIM_MS = 60_000;

  /**
   * How long a worker's lease on a projection, the saga, the relay or the digest lasts without
   * renewal: a standby takes over at most this long (plus one renewal interval) after the holder dies.
   */
  @Transform(integer)
  @IsInt({ message: 'LEASE_TTL_MS must be a whole number' })
  @Min(1_000)
  @Max(300_000)
  LEASE_TTL_MS = 5_000;

  /** Local hour (Vietnam time) at which the daily digest goes out. */
  @Transform(integer)
  @IsInt({ message: 'DIGEST_HOUR must be a whole number' })
  @Min(0)
  @Max(23)
  DIGEST_HOUR = 7;

  /** Base URL of the dashboard, for the links in reminder messages; http://HOST:PORT when unset. */
  @Transform(trimmed)
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  /** The worker's metrics server (GET /metrics, GET /health/live) on HOST; off when unset. */
  @Transform(integer)
  @IsOptional()
  @IsInt({ message: 'METRICS_PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://${this.HOST}:${this.PORT}`).replace(/\/+$/, '');
  }

  get mode(): 'embedded' | 'production' {
    return this.EVENTSTORE_URL ? 'production' : 'embedded';
  }

  get kafkaBrokers(): string[] {
    return this.KAFKA_BROKERS ? this.KAFKA_BROKERS.split(',') : [];
  }
}

export const CONFIG_KEYS = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'LOG_LEVEL',
  'SQLITE_DURABILITY',
  'EVENTSTORE_URL',
  'READSTORE_URL',
  'KAFKA_BROKERS',
  'KAFKA_TOPIC_PREFIX',
  'JWT_SECRET',
  'JWT_ISSUER',
  'TOKEN_TTL_SECONDS',
  'LEVELS_FILE',
  'HOLIDAYS_FILE',
  'SCHEDULER',
  'SCHEDULER_BATCH_SIZE',
  'SCHEDULER_INTERVAL_MS',
  'SCHEDULER_CLAIM_MS',
  'LEASE_TTL_MS',
  'DIGEST_HOUR',
  'PUBLIC_URL',
  'METRICS_PORT',
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; a bad value throws a ConfigError naming every problem. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const source = Object.fromEntries(
    CONFIG_KEYS.filter((key) => env[key] !== undefined && env[key] !== '').map((key) => [key, env[key]]),
  );
  const config = plainToInstance(AppConfig, source);
  const problems = validateSync(config, { forbidUnknownValues: true }).map((error) => {
    const shown = error.property === 'JWT_SECRET' ? '(hidden)' : JSON.stringify(error.value);
    return `${error.property}=${shown}: ${Object.values(error.constraints ?? {}).join('; ')}`;
  });
  if (config.mode === 'production' && !config.JWT_SECRET) {
    problems.push('JWT_SECRET is required when EVENTSTORE_URL is set (production mode)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
};
