import { type Consumer, type IHeaders, Kafka, type logCreator, logLevel, Partitioners, type Producer } from 'kafkajs';
import { type MockKafka, type MockKafkaSkipped, mockKafkaUnavailableReason, startMockKafka, waitFor } from './mock-kafka';

type Received = { partition: number; offset: string; key: string; value: string; headers: Record<string, string> };

const text = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));

const unavailable = mockKafkaUnavailableReason();
if (unavailable) console.warn(`SKIPPED: Kafka mock broker: ${unavailable}`);

(unavailable ? describe.skip : describe)('the librdkafka mock cluster serves kafkajs', () => {
  let mock: MockKafka;
  let kafka: Kafka;
  const cleanups: Array<() => Promise<void>> = [];

  const started = (result: MockKafka | MockKafkaSkipped): MockKafka => {
    if ('skipped' in result) throw new Error(result.skipped);
    return result;
  };

  const producer = async (client: Kafka = kafka): Promise<Producer> => {
    const created = client.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
    await created.connect();
    cleanups.push(() => created.disconnect());
    return created;
  };

  /** A consumer group member that records everything it receives. */
  const consume = async (topic: string, groupId: string): Promise<{ received: Received[]; consumer: Consumer }> => {
    // A short fetch wait: disconnect waits for the fetch in flight, and the mock holds it that long.
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    const received: Received[] = [];
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        received.push({
          partition,
          offset: message.offset,
          key: String(message.key),
          value: String(message.value),
          headers: text(message.headers),
        });
      },
    });
    return { received, consumer };
  };

  beforeAll(async () => {
    mock = started(await startMockKafka({ brokers: 3 }));
    // Few quick retries, so a send during an outage fails fast. (The client's retry settings also
    // govern reconnecting and metadata refreshes, which a producer's own retry settings do not.)
    kafka = new Kafka({
      clientId: 'mock-kafka-spec',
      brokers: mock.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 200 },
    });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => mock?.stop());

  it('round-trips messages with key and headers through a consumer group, which commits its offsets', async () => {
    const sender = await producer();
    await sender.send({
      topic: 'round-trip',
      acks: -1,
      messages: [1, 2, 3].map((n) => ({ key: 'unit-1', value: `message ${n}`, headers: { 'event-id': `e${n}` } })),
    });
    const { received, consumer } = await consume('round-trip', 'round-trip-group');
    await waitFor(() => received.length >= 3, 'three messages');
    await consumer.disconnect(); // commits what it processed

    expect(received.map(({ key, value, headers }) => ({ key, value, headers }))).toEqual([
      { key: 'unit-1', value: 'message 1', headers: { 'event-id': 'e1' } },
      { key: 'unit-1', value: 'message 2', headers: { 'event-id': 'e2' } },
      { key: 'unit-1', value: 'message 3', headers: { 'event-id': 'e3' } },
    ]);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: 'round-trip-group', topics: ['round-trip'] });
      const partition = committed.partitions.find((p) => p.partition === received[0].partition);
      expect(partition?.offset).toBe('3');
    } finally {
      await admin.disconnect();
    }
  });

  it('keeps each key in order, on one partition, across a topic of several partitions', async () => {
    await mock.createTopic('ordering', 6);
    const sender = await producer();
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    for (let round = 0; round < 5; round += 1) {
      const messages = [0, 1, 2, 3, 4].flatMap((i) => keys.map((key) => ({ key, value: String(round * 5 + i) })));
      await sender.send({ topic: 'ordering', acks: -1, messages });
    }
    const { received } = await consume('ordering', 'ordering-group');
    await waitFor(() => received.length >= keys.length * 25, 'every message');

    expect(received).toHaveLength(keys.length * 25);
    const expected = Array.from({ length: 25 }, (_, i) => String(i));
    for (const key of keys) {
      const ofKey = received.filter((m) => m.key === key);
      expect(ofKey.map((m) => m.value)).toEqual(expected);
      expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
    }
    expect(new Set(received.map((m) => m.partition)).size).toBeGreaterThan(1);
    expect(Math.max(...received.map((m) => m.partition))).toBeLessThan(6);
  });

  it('survives an outage of every broker: sends fail or wait while they are down and arrive once they are up', async () => {
    await mock.createTopic('outage', 1);
    const errors: string[] = [];
    const recording: logCreator = () => (entry) => void errors.push(entry.log.message);
    const patientClient = new Kafka({
      clientId: 'patient',
      brokers: mock.brokers,
      logLevel: logLevel.ERROR,
      logCreator: recording,
      retry: { retries: 50, initialRetryTime: 50, maxRetryTime: 200 },
    });
    const impatient = await producer(kafka);
    const patient = await producer(patientClient);
    await impatient.send({ topic: 'outage', acks: -1, messages: [{ key: 'k', value: 'before' }] });

    await mock.down('all');
    await expect(impatient.send({ topic: 'outage', acks: -1, messages: [{ key: 'k', value: 'refused' }] })).rejects.toThrow(
      /Connection error|ECONNREFUSED|closed/i,
    );
    const during = patient.send({ topic: 'outage', acks: -1, messages: [{ key: 'k', value: 'during' }] });
    await waitFor(() => errors.length > 0, 'the patient producer to fail an attempt');
    await mock.up('all');
    await during;
    await impatient.send({ topic: 'outage', acks: -1, messages: [{ key: 'k', value: 'after' }] });

    const { received } = await consume('outage', 'outage-group');
    await waitFor(() => received.length >= 3, 'the messages');
    expect(received.map((m) => m.value)).toEqual(['before', 'during', 'after']);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [partition] = await admin.fetchTopicOffsets('outage');
      expect(partition.high).toBe('3'); // the refused send wrote nothing
    } finally {
      await admin.disconnect();
    }
  });

  it('answers each command, and says so when the cluster refuses one', async () => {
    await mock.createTopic('commands', 2);
    await expect(mock.createTopic('commands', 2)).rejects.toThrow(/"topic commands 2" failed: error/);
    await expect(mock.down(9)).rejects.toThrow(/"down 9" failed: error Broker: Broker not available/);
    await expect(mock.up(0)).rejects.toThrow('no such broker: 0');
    await expect(mock.createTopic('bad name', 1)).rejects.toThrow('invalid topic name');
    await mock.down(2);
    await mock.up(2);
  });
});

describe('startMockKafka', () => {
  it('rejects a broker count it cannot start', async () => {
    await expect(startMockKafka({ brokers: 0 })).rejects.toThrow('brokers must be 1..64');
  });
});
