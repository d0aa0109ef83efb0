import { type Consumer, type IHeaders, Kafka, logLevel } from 'kafkajs';

export type ReadMessage = Readonly<{
  topic: string;
  partition: number;
  key: string;
  value: string;
  headers: Record<string, string>;
}>;

const text = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));

/** A consumer group member reading topics from the beginning and recording every message, for assertions. */
export const readTopics = async (
  brokers: readonly string[],
  topics: readonly string[],
  groupId: string,
): Promise<{ messages: ReadMessage[]; stop: () => Promise<void> }> => {
  const kafka = new Kafka({
    clientId: `reader-${groupId}`,
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  // A short fetch wait: disconnect waits for the fetch in flight, and the mock holds it that long.
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      messages.push({ topic, partition, key: String(message.key), value: String(message.value), headers: text(message.headers) });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
};
