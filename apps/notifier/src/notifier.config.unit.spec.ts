import { loadNotifierConfig, NotifierConfigError, reminderTopics } from './notifier.config';

const problemsOf = (env: NodeJS.ProcessEnv): readonly string[] => {
  try {
    loadNotifierConfig(env);
  } catch (error) {
    if (error instanceof NotifierConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
};

describe('loadNotifierConfig', () => {
  it('fills in the defaults around the required settings', () => {
    expect(
      loadNotifierConfig({ KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092', NOTIFIER_WEBHOOK_URL: 'https://sms.example/hook' }),
    ).toEqual({
      kafkaBrokers: ['kafka-1:9092', 'kafka-2:9092'],
      topicPrefix: 'vwu',
      mode: 'webhook',
      webhookUrl: 'https://sms.example/hook',
      webhookTimeoutMs: 10_000,
      maxAttempts: 5,
      fetchMaxWaitMs: 5_000,
      dbPath: './data/notifier.sqlite',
      logLevel: 'info',
    });
  });

  it('needs no webhook in log mode, and reads every setting', () => {
    const config = loadNotifierConfig({
      KAFKA_BROKERS: ' localhost:9092 ',
      KAFKA_TOPIC_PREFIX: 'vwu-staging',
      NOTIFIER_MODE: 'log',
      NOTIFIER_MAX_ATTEMPTS: '8',
      KAFKA_FETCH_MAX_WAIT_MS: '250',
      NOTIFIER_WEBHOOK_TIMEOUT_MS: '2500',
      NOTIFIER_DB: '/var/lib/notifier/db.sqlite',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      kafkaBrokers: ['localhost:9092'],
      topicPrefix: 'vwu-staging',
      mode: 'log',
      maxAttempts: 8,
      fetchMaxWaitMs: 250,
      webhookTimeoutMs: 2500,
      dbPath: '/var/lib/notifier/db.sqlite',
      logLevel: 'debug',
    });
    expect(reminderTopics(config.topicPrefix)).toEqual({
      reminders: 'vwu-staging.reminders',
      deadLetters: 'vwu-staging.reminders.dlq',
      groupId: 'vwu-staging.notifier',
    });
  });

  it('names every missing or bad value at once', () => {
    expect(
      problemsOf({
        KAFKA_TOPIC_PREFIX: 'vwu reminders',
        NOTIFIER_MODE: 'sms',
        NOTIFIER_WEBHOOK_URL: 'ftp://files.example',
        NOTIFIER_MAX_ATTEMPTS: '0',
        NOTIFIER_WEBHOOK_TIMEOUT_MS: '10s',
        LOG_LEVEL: 'loud',
        KAFKA_FETCH_MAX_WAIT_MS: '-1',
      }),
    ).toEqual([
      'KAFKA_BROKERS is required (a comma-separated list of host:port)',
      'KAFKA_TOPIC_PREFIX="vwu reminders": must be letters, digits, ".", "_" or "-"',
      'NOTIFIER_MODE="sms": must be webhook or log',
      'NOTIFIER_WEBHOOK_URL="ftp://files.example": must be an http(s) URL',
      'LOG_LEVEL="loud": must be one of fatal, error, warn, info, debug, trace, silent',
      'NOTIFIER_WEBHOOK_TIMEOUT_MS="10s": must be a whole number from 100 to 300000',
      'NOTIFIER_MAX_ATTEMPTS="0": must be a whole number from 1 to 100',
      'KAFKA_FETCH_MAX_WAIT_MS="-1": must be a whole number from 10 to 30000',
    ]);
  });

  it('requires a webhook URL in webhook mode, and brokers as host:port', () => {
    expect(problemsOf({ KAFKA_BROKERS: 'kafka-1' })).toEqual([
      'KAFKA_BROKERS="kafka-1": must be a comma-separated list of host:port',
      'NOTIFIER_WEBHOOK_URL is required when NOTIFIER_MODE=webhook',
    ]);
    expect(problemsOf({ KAFKA_BROKERS: 'a:1', NOTIFIER_MAX_ATTEMPTS: '2.5', NOTIFIER_MODE: 'log' })).toEqual([
      'NOTIFIER_MAX_ATTEMPTS="2.5": must be a whole number from 1 to 100',
    ]);
  });
});
