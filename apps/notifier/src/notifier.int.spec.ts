import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { KafkaPublisher, type ReminderMessage } from '@app/messaging';
import { type MockKafka, mockKafkaUnavailableReason, startMockKafka, waitFor } from '../../../test/support/kafka/mock-kafka';
import { type RunningNotifier, startNotifier } from './notifier.app';
import { reminderTopics } from './notifier.config';
import { aReminder } from './testing/reminders';
import { startWebhookServer, type WebhookAnswer, type WebhookRequest, type WebhookServer } from './testing/webhook-server';

const unavailable = mockKafkaUnavailableReason();
if (unavailable) console.warn(`SKIPPED: notifier against the Kafka mock broker: ${unavailable}`);

(unavailable ? describe.skip : describe)('the notifier between a Kafka-protocol broker and a webhook', () => {
  const logger = pino({ level: 'silent' });
  let mock: MockKafka;
  let kafka: Kafka;
  let admin: Admin;
  let publisher: KafkaPublisher;
  let dir: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const started = await startMockKafka({ brokers: 3 });
    if ('skipped' in started) throw new Error(started.skipped);
    mock = started;
    kafka = new Kafka({ clientId: 'notifier-spec', brokers: mock.brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    publisher = new KafkaPublisher({ clientId: 'notifier-spec', brokers: mock.brokers, logger });
    dir = mkdtempSync(join(tmpdir(), 'notifier-int-'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await publisher?.close();
    await admin?.disconnect();
    await mock?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let prefixes = 0;
  /** Each test gets topics, a consumer group and a SQLite file of its own. */
  const newPrefix = async (): Promise<string> => {
    const prefix = `t${++prefixes}`;
    await mock.createTopic(reminderTopics(prefix).reminders, 3);
    return prefix;
  };

  const webhook = async (answer?: (request: WebhookRequest) => WebhookAnswer): Promise<WebhookServer> => {
    const server = await startWebhookServer(answer);
    cleanups.push(() => server.close());
    return server;
  };

  const boot = async (prefix: string, server: WebhookServer, maxAttempts = 3): Promise<RunningNotifier> => {
    const running = await startNotifier(
      {
        kafkaBrokers: mock.brokers,
        topicPrefix: prefix,
        mode: 'webhook',
        webhookUrl: server.url,
        webhookTimeoutMs: 2_000,
        maxAttempts,
        fetchMaxWaitMs: 100,
        dbPath: join(dir, prefix, 'notifier.sqlite'),
        logLevel: 'silent',
      },
      logger,
      {
        backoff: { initialMs: 20, maxMs: 100 },
        kafkaRetry: { retries: 3, initialRetryTimeMs: 50, maxRetryTimeMs: 300 },
        // The mock cluster lets a new member into a group that another has left only after
        // (session timeout - 1 s), and admits none whose session timeout is under its 3 s join delay.
        sessionTimeoutMs: 4_000,
        heartbeatIntervalMs: 1_000,
      },
    );
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await running.stop();
    });
    return {
      crashed: running.crashed,
      stop: async () => {
        stopped = true;
        await running.stop();
      },
    };
  };

  const publish = (prefix: string, values: Array<ReminderMessage | string>): Promise<void> =>
    publisher.publish(
      values.map((value) => ({
        topic: reminderTopics(prefix).reminders,
        key: typeof value === 'string' ? 'garbage' : value.recipient.unitId,
        value: typeof value === 'string' ? value : JSON.stringify(value),
        headers: { 'message-id': typeof value === 'string' ? 'none' : value.messageId },
      })),
    );

  /** How many records of the reminders topic the notifier has committed: each one is settled. */
  const settled = async (prefix: string): Promise<number> => {
    const { reminders, groupId } = reminderTopics(prefix);
    const [topic] = await admin.fetchOffsets({ groupId, topics: [reminders] });
    return topic.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  };

  const reminderFor = (n: number): ReminderMessage =>
    aReminder(`m-${n}`, { recipient: { unitId: `unit-${n % 4}`, unitName: `Unit ${n % 4}`, officers: [] } });

  it('delivers each reminder to the webhook as JSON with its Idempotency-Key, and a repeated message id once', async () => {
    const prefix = await newPrefix();
    const server = await webhook();
    await boot(prefix, server);
    const reminders = [1, 2, 3, 4, 5, 6].map(reminderFor);
    await publish(prefix, [...reminders, reminderFor(2), reminderFor(5)]);

    await waitFor(async () => (await settled(prefix)) === 8, 'all eight records settled');
    expect(server.requests).toHaveLength(6);
    for (const reminder of reminders) {
      const [request] = server.requests.filter((r) => r.key === reminder.messageId);
      expect(request.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request.body)).toEqual(reminder);
    }
  });

  it('retries a failing webhook with back-off until it takes the reminder', async () => {
    const prefix = await newPrefix();
    const server = await webhook((request) => (request.key === 'm-1' && request.attempt < 3 ? 503 : 200));
    await boot(prefix, server, 5);
    await publish(prefix, [reminderFor(1), reminderFor(2)]);

    await waitFor(async () => (await settled(prefix)) === 2, 'both records settled');
    expect([server.count('m-1'), server.count('m-2')]).toEqual([3, 1]);
    const [dlq] = await admin.fetchTopicOffsets(reminderTopics(prefix).deadLetters).catch(() => [{ high: '0' }]);
    expect(dlq.high).toBe('0');
  });

  it('dead-letters what it cannot deliver (refused, out of attempts, unparseable) and moves on', async () => {
    const prefix = await newPrefix();
    const server = await webhook((request) => ({ 'm-1': 400, 'm-2': 500 })[request.key] ?? 200);
    await mock.createTopic(reminderTopics(prefix).deadLetters, 1);
    await boot(prefix, server, 3);
    await publish(prefix, [reminderFor(1), reminderFor(2), 'not json', reminderFor(3)]);

    await waitFor(async () => (await settled(prefix)) === 4, 'all four records settled');
    expect([server.count('m-1'), server.count('m-2'), server.count('m-3')]).toEqual([1, 3, 1]);

    const dead: Array<{ value: string; headers: Record<string, string> }> = [];
    const reader = kafka.consumer({ groupId: `${prefix}.dlq-reader`, maxWaitTimeInMs: 100 });
    cleanups.push(() => reader.disconnect());
    await reader.connect();
    await reader.subscribe({ topics: [reminderTopics(prefix).deadLetters], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        dead.push({ value: String(message.value), headers });
      },
    });
    await waitFor(() => dead.length >= 3, 'three dead letters');

    const byId = (id: string) => dead.find((d) => d.headers['message-id'] === id);
    expect(byId('m-1')).toMatchObject({
      value: JSON.stringify(reminderFor(1)),
      headers: { 'dlq-error': 'webhook answered 400 Bad Request', 'dlq-attempts': '1' },
    });
    expect(byId('m-2')).toMatchObject({
      value: JSON.stringify(reminderFor(2)),
      headers: { 'dlq-error': 'webhook answered 500 Internal Server Error', 'dlq-attempts': '3' },
    });
    expect(byId('none')?.value).toBe('not json');
    expect(byId('none')?.headers['dlq-error']).toMatch(/^unparseable: /);
    expect(byId('none')?.headers['dlq-origin']).toMatch(new RegExp(`^${prefix}\\.reminders/\\d/\\d+$`));
    const [partition] = await admin.fetchTopicOffsets(reminderTopics(prefix).deadLetters);
    expect(partition.high).toBe('3');
  });

  it('delivers nothing twice and loses nothing when restarted mid-stream', async () => {
    const prefix = await newPrefix();
    let release: () => void = () => undefined;
    const held = new Promise<number>((resolve) => (release = () => resolve(200)));
    // The tenth request is held until the notifier has been told to stop.
    const server = await webhook((request) => (request.attempt === 1 && server.requests.length === 10 ? held : 200));
    const first = await boot(prefix, server);
    await publish(
      prefix,
      Array.from({ length: 30 }, (_, i) => reminderFor(i + 1)),
    );
    await waitFor(() => server.requests.length === 10, 'the tenth request');

    const stopping = first.stop();
    release();
    await stopping;
    const beforeRestart = server.requests.length;
    expect(beforeRestart).toBeLessThan(30);
    await publish(
      prefix,
      Array.from({ length: 5 }, (_, i) => reminderFor(31 + i)),
    ); // while it is down

    await boot(prefix, server);
    await waitFor(async () => (await settled(prefix)) === 35, 'all 35 records settled');
    const keys = server.requests.map((r) => r.key);
    expect(new Set(keys).size).toBe(35);
    expect(keys).toHaveLength(35);
  });
});
