import { type Consumer, type IHeaders, Kafka } from 'kafkajs';
import { kafkaLogLevel, pinoLogCreator } from '@app/messaging';
import type { Logger } from 'pino';
import type { InboundRecord, RecordHandler, ReminderSource } from './reminder-source';

export type KafkaReminderSourceOptions = Readonly<{
  clientId: string;
  brokers: readonly string[];
  topic: string;
  groupId: string;
  logger: Logger;
  /** Called when the consumer crashed for good (kafkajs will not restart it); the process should exit. */
  onFatal: (error: Error) => void;
  retry?: Readonly<{ retries?: number; initialRetryTimeMs?: number; maxRetryTimeMs?: number }>;
  /** How long a fetch waits for new messages; leaving the group waits for the fetch in flight. */
  maxWaitTimeMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
}>;

const text = (headers: IHeaders | undefined): Record<string, string> => {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
};

/**
 * The reminders topic through a kafkajs consumer group. Offsets are committed by hand, one record
 * at a time, only after the handler settled the record: a crash re-delivers, it never skips.
 */
export class KafkaReminderSource implements ReminderSource {
  private readonly consumer: Consumer;

  constructor(private readonly options: KafkaReminderSourceOptions) {
    const { retry } = options;
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      retry: retry && { retries: retry.retries, initialRetryTime: retry.initialRetryTimeMs, maxRetryTime: retry.maxRetryTimeMs },
      logLevel: kafkaLogLevel(options.logger),
      logCreator: pinoLogCreator(options.logger),
    });
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: options.maxWaitTimeMs,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) options.onFatal(payload.error);
    });
  }

  async start(handler: RecordHandler): Promise<void> {
    const { consumer } = this;
    await consumer.connect();
    // A new group starts from the oldest reminder the topic still holds: none is lost before the first start.
    await consumer.subscribe({ topics: [this.options.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        const record: InboundRecord = {
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: text(message.headers),
        };
        const outcome = await handler(record, heartbeat);
        if (outcome !== 'settled') return;
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
