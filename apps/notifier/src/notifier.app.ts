import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { KafkaPublisher } from '@app/messaging';
import type { Logger } from 'pino';
import { SqliteDeliveredStore } from './delivered-store';
import { KafkaReminderSource } from './kafka-reminder-source';
import { logDelivery } from './log-delivery';
import { Notifier } from './notifier';
import { type NotifierConfig, reminderTopics } from './notifier.config';
import { webhookDelivery } from './webhook-delivery';

/** Knobs the environment does not set: tests turn them down to keep waits short. */
export type NotifierTuning = Readonly<{
  backoff?: Readonly<{ initialMs: number; maxMs: number }>;
  kafkaRetry?: Readonly<{ retries?: number; initialRetryTimeMs?: number; maxRetryTimeMs?: number }>;
  /** A member that left is only replaced after its session timeout on some brokers (the test mock). */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
}>;

export type RunningNotifier = Readonly<{
  stop(): Promise<void>;
  /** Rejects if the consumer crashed for good; the process should then exit and be restarted. */
  crashed: Promise<never>;
}>;

/** Wires the notifier from its configuration and starts consuming. */
export const startNotifier = async (
  config: NotifierConfig,
  logger: Logger,
  tuning: NotifierTuning = {},
): Promise<RunningNotifier> => {
  const topics = reminderTopics(config.topicPrefix);
  mkdirSync(dirname(config.dbPath), { recursive: true });
  const store = SqliteDeliveredStore.open(config.dbPath, { now: new Date() });
  const deadLetters = new KafkaPublisher({
    clientId: 'vwu-notifier',
    brokers: config.kafkaBrokers,
    logger: logger.child({ component: 'dead-letters' }),
    retry: tuning.kafkaRetry,
  });
  let fail: (error: Error) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => (fail = reject));
  crashed.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  const source = new KafkaReminderSource({
    clientId: 'vwu-notifier',
    brokers: config.kafkaBrokers,
    topic: topics.reminders,
    groupId: topics.groupId,
    logger: logger.child({ component: 'reminders-consumer' }),
    onFatal: (error) => fail(error),
    retry: tuning.kafkaRetry,
    maxWaitTimeMs: config.fetchMaxWaitMs,
    sessionTimeoutMs: tuning.sessionTimeoutMs,
    heartbeatIntervalMs: tuning.heartbeatIntervalMs,
  });
  const deliver =
    config.mode === 'webhook' && config.webhookUrl
      ? webhookDelivery({ url: config.webhookUrl, timeoutMs: config.webhookTimeoutMs })
      : logDelivery(logger.child({ component: 'delivery' }));
  const notifier = new Notifier({
    source,
    deliver,
    store,
    deadLetters,
    deadLetterTopic: topics.deadLetters,
    logger: logger.child({ component: 'notifier' }),
    maxAttempts: config.maxAttempts,
    backoff: tuning.backoff,
  });
  const close = async (): Promise<void> => {
    try {
      await notifier.stop();
    } finally {
      await deadLetters.close();
      store.close();
    }
  };
  try {
    await notifier.start();
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  logger.info({ topic: topics.reminders, groupId: topics.groupId, mode: config.mode }, 'notifier running');
  return { stop: close, crashed };
};
