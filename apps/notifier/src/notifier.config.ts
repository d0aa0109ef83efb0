/** The notifier's settings, from environment variables, checked at start. */
export type NotifierConfig = Readonly<{
  kafkaBrokers: string[];
  topicPrefix: string;
  mode: 'webhook' | 'log';
  webhookUrl?: string;
  webhookTimeoutMs: number;
  maxAttempts: number;
  /** How long a fetch waits for new reminders; shutting down waits for the fetch in flight. */
  fetchMaxWaitMs: number;
  dbPath: string;
  logLevel: string;
}>;

export class NotifierConfigError extends Error {
  readonly code = 'NOTIFIER.CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'NotifierConfigError';
  }
}

export const reminderTopics = (prefix: string) => ({
  reminders: `${prefix}.reminders`,
  deadLetters: `${prefix}.reminders.dlq`,
  groupId: `${prefix}.notifier`,
});

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the environment; throws a NotifierConfigError naming every bad value. */
export const loadNotifierConfig = (env: NodeJS.ProcessEnv): NotifierConfig => {
  const problems: string[] = [];
  const read = (name: string): string | undefined => env[name]?.trim() || undefined;
  const bad = (name: string, rule: string): undefined => {
    problems.push(`${name}=${JSON.stringify(env[name])}: ${rule}`);
    return undefined;
  };
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const value = read(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    return parsed >= min && parsed <= max ? parsed : (bad(name, `must be a whole number from ${min} to ${max}`) ?? fallback);
  };

  const brokers = read('KAFKA_BROKERS');
  if (brokers === undefined) problems.push('KAFKA_BROKERS is required (a comma-separated list of host:port)');
  else if (!/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/.test(brokers))
    bad('KAFKA_BROKERS', 'must be a comma-separated list of host:port');

  const topicPrefix = read('KAFKA_TOPIC_PREFIX') ?? 'vwu';
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(topicPrefix)) bad('KAFKA_TOPIC_PREFIX', 'must be letters, digits, ".", "_" or "-"');

  const mode = read('NOTIFIER_MODE') ?? 'webhook';
  if (mode !== 'webhook' && mode !== 'log') bad('NOTIFIER_MODE', 'must be webhook or log');

  const webhookUrl = read('NOTIFIER_WEBHOOK_URL');
  if (webhookUrl !== undefined && !isHttpUrl(webhookUrl)) bad('NOTIFIER_WEBHOOK_URL', 'must be an http(s) URL');
  else if (webhookUrl === undefined && mode === 'webhook')
    problems.push('NOTIFIER_WEBHOOK_URL is required when NOTIFIER_MODE=webhook');

  const logLevel = read('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) bad('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);

  const config: NotifierConfig = {
    kafkaBrokers: brokers?.split(',') ?? [],
    topicPrefix,
    mode: mode === 'log' ? 'log' : 'webhook',
    webhookUrl,
    webhookTimeoutMs: whole('NOTIFIER_WEBHOOK_TIMEOUT_MS', 10_000, 100, 300_000),
    maxAttempts: whole('NOTIFIER_MAX_ATTEMPTS', 5, 1, 100),
    fetchMaxWaitMs: whole('KAFKA_FETCH_MAX_WAIT_MS', 5_000, 10, 30_000),
    dbPath: read('NOTIFIER_DB') ?? './data/notifier.sqlite',
    logLevel,
  };
  if (problems.length > 0) throw new NotifierConfigError(problems);
  return config;
};

const isHttpUrl = (value: string): boolean => {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};
