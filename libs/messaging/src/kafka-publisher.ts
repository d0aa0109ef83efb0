import { Kafka, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { kafkaLogLevel, pinoLogCreator } from './kafkajs-logger';
import type { OutboundMessage } from './message';
import type { MessagePublisher } from './publisher.port';

export type KafkaPublisherOptions = Readonly<{
  clientId: string;
  brokers: readonly string[];
  logger: Logger;
  /**
   * How kafkajs retries a send, and the connections and metadata look-ups it needs, before publish
   * rejects. Unset: kafkajs' defaults (5 retries, from 300 ms, doubling).
   */
  retry?: Readonly<{ retries?: number; initialRetryTimeMs?: number; maxRetryTimeMs?: number }>;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}>;

/**
 * The messaging port over kafkajs. Connects on the first publish; after a failed send it drops the
 * producer and connects afresh on the next publish, so nothing stale survives an outage.
 */
export class KafkaPublisher implements MessagePublisher {
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private connection?: Promise<Producer>;
  private closed = false;

  constructor(options: KafkaPublisherOptions) {
    this.logger = options.logger.child({ component: 'kafka-publisher' });
    const retry = options.retry;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      connectionTimeout: options.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      retry: retry && { retries: retry.retries, initialRetryTime: retry.initialRetryTimeMs, maxRetryTime: retry.maxRetryTimeMs },
      logLevel: kafkaLogLevel(options.logger),
      logCreator: pinoLogCreator(options.logger),
    });
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (this.closed) throw new Error('KafkaPublisher is closed');
    if (messages.length === 0) return;
    const connection = this.connect();
    const producer = await connection;
    try {
      await producer.sendBatch({ acks: -1, topicMessages: byTopic(messages) });
    } catch (error) {
      this.logger.warn({ err: error, messages: messages.length }, 'publish failed; the producer reconnects on the next publish');
      await this.drop(connection);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.connection) await this.drop(this.connection);
  }

  private connect(): Promise<Producer> {
    this.connection ??= this.open().catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  private async open(): Promise<Producer> {
    const producer = this.kafka.producer({
      allowAutoTopicCreation: true,
      // The Java client's partitioner, named explicitly (kafkajs warns when it is left to default).
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return producer;
  }

  /** Disconnects the producer of this connection unless a newer one has replaced it. */
  private async drop(connection: Promise<Producer>): Promise<void> {
    if (this.connection !== connection) return;
    this.connection = undefined;
    const producer = await connection.catch(() => undefined);
    await producer?.disconnect().catch((error: unknown) => this.logger.warn({ err: error }, 'producer disconnect failed'));
  }
}

const byTopic = (messages: readonly OutboundMessage[]) => {
  const topics = new Map<string, Array<{ key: string; value: string; headers: Record<string, string> }>>();
  for (const { topic, key, value, headers } of messages) {
    const list = topics.get(topic) ?? [];
    list.push({ key, value, headers: { ...headers } });
    topics.set(topic, list);
  }
  return [...topics].map(([topic, topicMessages]) => ({ topic, messages: topicMessages }));
};
