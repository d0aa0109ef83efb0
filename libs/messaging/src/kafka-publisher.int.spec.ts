import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { type MockKafka, mockKafkaUnavailableReason, startMockKafka, waitFor } from '../../../test/support/kafka/mock-kafka';
import { KafkaPublisher } from './kafka-publisher';
import type { OutboundMessage } from './message';

type Received = { topic: string; key: string; value: string; headers: Record<string, string> };

const unavailable = mockKafkaUnavailableReason();
if (unavailable) console.warn(`SKIPPED: KafkaPublisher against the Kafka mock broker: ${unavailable}`);

(unavailable ? describe.skip : describe)('KafkaPublisher against a Kafka-protocol broker', () => {
  let mock: MockKafka;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    const started = await startMockKafka({ brokers: 3 });
    if ('skipped' in started) throw new Error(started.skipped);
    mock = started;
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => mock?.stop());

  const logLines: Array<Record<string, unknown>> = [];
  const publisher = (): KafkaPublisher => {
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    const created = new KafkaPublisher({
      clientId: 'publisher-spec',
      brokers: mock.brokers,
      logger,
      retry: { retries: 1, initialRetryTimeMs: 50, maxRetryTimeMs: 200 },
    });
    cleanups.push(() => created.close());
    return created;
  };

  /** Reads the topics from the beginning through a consumer group of its own. */
  const consume = async (topics: string[]): Promise<Received[]> => {
    const kafka = new Kafka({ clientId: 'publisher-spec-reader', brokers: mock.brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `reader-${topics.join('-')}`, maxWaitTimeInMs: 100 });
    const received: Received[] = [];
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        received.push({ topic, key: String(message.key), value: String(message.value), headers });
      },
    });
    return received;
  };

  const message = (topic: string, key: string, n: number): OutboundMessage => ({
    topic,
    key,
    value: JSON.stringify({ n }),
    headers: { 'event-id': `${key}-${n}`, 'event-type': 'ReportSubmitted' },
  });

  it('publishes one batch over several topics, with keys and headers, auto-creating the topics', async () => {
    const batch = [
      message('spec.reports', 'report-1', 1),
      message('spec.reminders', 'unit-1', 1),
      message('spec.reports', 'report-1', 2),
    ];
    await publisher().publish(batch);

    const received = await consume(['spec.reports', 'spec.reminders']);
    await waitFor(() => received.length >= 3, 'the three messages');
    expect(received).toHaveLength(3);
    expect(received.filter((m) => m.topic === 'spec.reports')).toEqual([
      {
        topic: 'spec.reports',
        key: 'report-1',
        value: '{"n":1}',
        headers: { 'event-id': 'report-1-1', 'event-type': 'ReportSubmitted' },
      },
      {
        topic: 'spec.reports',
        key: 'report-1',
        value: '{"n":2}',
        headers: { 'event-id': 'report-1-2', 'event-type': 'ReportSubmitted' },
      },
    ]);
    expect(received.find((m) => m.topic === 'spec.reminders')).toEqual({
      topic: 'spec.reminders',
      key: 'unit-1',
      value: '{"n":1}',
      headers: { 'event-id': 'unit-1-1', 'event-type': 'ReportSubmitted' },
    });
  });

  it('rejects while every broker is down, succeeds once they are back, and loses nothing when the caller retries', async () => {
    await mock.createTopic('spec.outage', 4);
    const kafka = publisher();
    const keys = ['a', 'b', 'c'];
    const batches = Array.from({ length: 6 }, (_, n) => keys.map((key) => message('spec.outage', key, n)));
    let failures = 0;
    // The relay's loop: a batch is published until the broker acknowledges it, then the next one.
    const publishAll = async (): Promise<void> => {
      for (const [index, batch] of batches.entries()) {
        if (index === 2) await mock.down('all');
        for (;;) {
          try {
            await kafka.publish(batch);
            break;
          } catch {
            failures += 1;
            if (failures === 2) await mock.up('all');
          }
        }
      }
    };
    await publishAll();

    expect(failures).toBe(2);
    expect(logLines.some((line) => line.msg === 'publish failed; the producer reconnects on the next publish')).toBe(true);
    expect(logLines.some((line) => typeof (line.kafkajs as { namespace?: unknown })?.namespace === 'string')).toBe(true);
    const received = await consume(['spec.outage']);
    await waitFor(() => received.length >= keys.length * batches.length, 'every message');
    for (const key of keys) {
      const ids = received.filter((m) => m.key === key).map((m) => m.headers['event-id']);
      expect([...new Set(ids)]).toEqual(batches.map((_, n) => `${key}-${n}`));
    }
  });

  it('needs no broker for an empty list, and refuses to publish once closed', async () => {
    const kafka = publisher();
    await mock.down('all');
    try {
      await expect(kafka.publish([])).resolves.toBeUndefined();
    } finally {
      await mock.up('all');
    }
    await kafka.close();
    await expect(kafka.publish([message('spec.closed', 'k', 1)])).rejects.toThrow('KafkaPublisher is closed');
  });
});
