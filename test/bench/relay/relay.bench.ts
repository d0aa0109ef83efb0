// The Kafka relay against kafkajs sending the same messages directly, to librdkafka's mock cluster,
// in one run: (a) direct: kafkajs `sendBatch` of the prebuilt messages, 500 a batch, acks -1;
// (b) relay: a CheckpointedSubscription (batch 500) with Relay + KafkaPublisher, from checkpoint 0
// to the head, reads and checkpoint writes included; (c) the relay's messages and publisher on
// batches read beforehand (no subscription), and (d) the subscription alone (reads and checkpoint
// writes, nothing published), to split the gap between (a) and (b).
// Run: npm run bench:relay [-- --quick]
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import pino from 'pino';
import {
  type CheckpointStore,
  CheckpointedSubscription,
  type RecordedEvent,
  SqliteCheckpointStore,
  SqliteEventStore,
} from '@app/eventstore';
import { KafkaPublisher } from '@app/messaging';
import { integrationMessageOf, Relay, type ReminderLookups, remindersTopic, topicOf } from '@app/relay';
import { type MockKafka, startMockKafka } from '../../support/kafka/mock-kafka';
import { compare, formatOps, formatPercent, isQuick, nowMs, pairedRatios, printTable, TempFiles } from '../harness';
import { appendReportSubmissions } from './report-events';

const quick = isQuick();
const EVENTS = quick ? 10_000 : 100_000;
const BATCH = 500;
const PARTITIONS = 4;
const files = new TempFiles('bench-relay-');
const logger = pino({ level: 'silent' });

// Report submissions are not reminders: the relay never asks.
const lookups: ReminderLookups = {
  obligation: async () => undefined,
  directive: async () => undefined,
  unit: () => undefined,
};

const startBroker = async (prefix: string): Promise<MockKafka> => {
  const started = await startMockKafka({ brokers: 1 });
  if ('skipped' in started) throw new Error(`the Kafka mock broker cannot run here: ${started.skipped}`);
  // The mock does not serve CreateTopics: every topic of the round, and one to warm the connection on.
  for (const topic of [`${prefix}.reports`, remindersTopic(prefix), `${prefix}.warmup`])
    await started.createTopic(topic, PARTITIONS);
  return started;
};

const warmupMessage = (prefix: string) => ({ topic: `${prefix}.warmup`, key: 'k', value: 'warm-up', headers: {} });

type DirectCtx = { broker: MockKafka; producer: Producer; batches: Parameters<Producer['sendBatch']>[0]['topicMessages'][] };
type RelayCtx = {
  broker: MockKafka;
  publisher: KafkaPublisher;
  subscription: CheckpointedSubscription;
  reached: Promise<void>;
};
type ReadsCtx = { subscription: CheckpointedSubscription; reached: Promise<void> };
type BatchesCtx = { broker: MockKafka; publisher: KafkaPublisher; relay: Relay; batches: RecordedEvent[][] };

const main = async () => {
  const started = nowMs();
  const file = files.file('events');
  const store = SqliteEventStore.open(file);
  const head = await appendReportSubmissions(store, EVENTS);
  const all = await store.readAll({ after: 0, maxCount: EVENTS });
  const sample = integrationMessageOf('vwu', all[0]);
  console.log(
    `${head.toLocaleString('en-US')} ReportSubmitted events appended in ${((nowMs() - started) / 1000).toFixed(1)} s; ` +
      `a message: ${Buffer.byteLength(sample.value)} bytes of value, ${Buffer.byteLength(JSON.stringify(sample.headers))} of headers, key ${sample.key}`,
  );
  const checkpoints = new SqliteCheckpointStore(store.db, store.writeLock);
  const prefixOf = (variant: string, round: number) => `${variant}${round < 0 ? `w${-round}` : `r${round}`}`;

  /** A relay subscription from checkpoint 0, and a promise of the checkpoint write at the head. */
  const subscriptionTo = (prefix: string, handle: (batch: readonly RecordedEvent[]) => Promise<void>) => {
    let done: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (done = resolve));
    // The subscription stores each checkpoint through this store, after the batch's publish resolved.
    const counted: CheckpointStore = {
      load: (name) => checkpoints.load(name),
      store: async (name, position) => {
        await checkpoints.store(name, position);
        if (position >= head) done();
      },
    };
    const subscription = new CheckpointedSubscription({
      name: `relay:bench:${prefix}`,
      store,
      checkpoints: counted,
      batchSize: BATCH,
      handle,
      onError: (error) => console.error('relay failed', error),
    });
    return { subscription, reached };
  };

  const publisherFor = async (broker: MockKafka, prefix: string): Promise<KafkaPublisher> => {
    const publisher = new KafkaPublisher({ clientId: 'vwu-relay', brokers: broker.brokers, logger });
    await publisher.publish([warmupMessage(prefix)]); // connects, as a relay that has been running
    return publisher;
  };

  const results = await compare({
    title: `relay vs kafkajs direct: ${EVENTS.toLocaleString('en-US')} messages to the mock broker, batches of ${BATCH}, acks -1`,
    rounds: quick ? 3 : 5,
    warmupRounds: 1,
    variants: [
      {
        name: 'kafkajs direct',
        prepare: async (round: number): Promise<DirectCtx> => {
          const prefix = prefixOf('direct', round);
          const broker = await startBroker(prefix);
          const kafka = new Kafka({ clientId: 'bench-direct', brokers: broker.brokers, logLevel: logLevel.NOTHING });
          const producer = kafka.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
          await producer.connect();
          await producer.send({ acks: -1, topic: `${prefix}.warmup`, messages: [{ key: 'k', value: 'warm-up' }] });
          const batches: DirectCtx['batches'] = [];
          for (let i = 0; i < all.length; i += BATCH) {
            const messages = all.slice(i, i + BATCH).map((e) => integrationMessageOf(prefix, e));
            batches.push([
              {
                topic: topicOf(prefix, all[i].streamId),
                messages: messages.map(({ key, value, headers }) => ({ key, value, headers })),
              },
            ]);
          }
          return { broker, producer, batches };
        },
        run: async ({ producer, batches }: DirectCtx) => {
          for (const topicMessages of batches) await producer.sendBatch({ acks: -1, topicMessages });
          return { ops: all.length };
        },
        cleanup: async ({ broker, producer }: DirectCtx) => {
          await producer.disconnect();
          await broker.stop();
        },
      },
      {
        name: 'relay',
        prepare: async (round: number): Promise<RelayCtx> => {
          const prefix = prefixOf('relay', round);
          const broker = await startBroker(prefix);
          const publisher = await publisherFor(broker, prefix);
          const relay = new Relay(publisher, lookups, { prefix, publicUrl: 'https://hoi.example.vn' });
          const { subscription, reached } = subscriptionTo(prefix, async (batch) => void (await relay.relay(batch)));
          return { broker, publisher, subscription, reached };
        },
        run: async ({ subscription, reached }: RelayCtx) => {
          subscription.start();
          await reached;
          return { ops: all.length };
        },
        cleanup: async ({ broker, publisher, subscription }: RelayCtx) => {
          await subscription.stop();
          await publisher.close();
          await broker.stop();
        },
      },
      {
        name: 'relay, batches read beforehand',
        prepare: async (round: number): Promise<BatchesCtx> => {
          const prefix = prefixOf('batches', round);
          const broker = await startBroker(prefix);
          const publisher = await publisherFor(broker, prefix);
          const relay = new Relay(publisher, lookups, { prefix, publicUrl: 'https://hoi.example.vn' });
          const batches: RecordedEvent[][] = [];
          for (let i = 0; i < all.length; i += BATCH) batches.push(all.slice(i, i + BATCH));
          return { broker, publisher, relay, batches };
        },
        run: async ({ relay, batches }: BatchesCtx) => {
          for (const batch of batches) await relay.relay(batch);
          return { ops: all.length };
        },
        cleanup: async ({ broker, publisher }: BatchesCtx) => {
          await publisher.close();
          await broker.stop();
        },
      },
      {
        name: 'subscription, nothing published',
        prepare: (round: number): ReadsCtx => subscriptionTo(prefixOf('reads', round), async () => undefined),
        run: async ({ subscription, reached }: ReadsCtx) => {
          subscription.start();
          await reached;
          return { ops: all.length };
        },
        cleanup: ({ subscription }: ReadsCtx) => subscription.stop(),
      },
    ],
  });

  const direct = results.get('kafkajs direct')!;
  const relay = results.get('relay')!;
  const batches = results.get('relay, batches read beforehand')!;
  const ratio = pairedRatios(relay, direct);
  const batchRatio = pairedRatios(batches, direct);
  const reads = results.get('subscription, nothing published')!;
  console.log('\n== Summary');
  printTable(
    ['measurement', 'messages/s (median)', 'vs direct (median, min-max)', 'target', 'met?'],
    [
      ['a. kafkajs sendBatch, prebuilt messages (baseline)', formatOps(direct.medianRate), '', '', ''],
      [
        'b. relay: subscription + Relay + KafkaPublisher, checkpoint 0 to head',
        formatOps(relay.medianRate),
        `${formatPercent(ratio.median)} (${formatPercent(ratio.min)}-${formatPercent(ratio.max)})`,
        '>= 50%',
        ratio.median >= 0.5 ? 'yes' : 'NO',
      ],
      [
        'c. Relay + KafkaPublisher on batches read beforehand',
        formatOps(batches.medianRate),
        `${formatPercent(batchRatio.median)} (${formatPercent(batchRatio.min)}-${formatPercent(batchRatio.max)})`,
        '',
        '',
      ],
      ['d. the subscription alone: reads and checkpoint writes, nothing published', formatOps(reads.medianRate), '', '', ''],
    ],
  );
  // Per message, the relay's time is about its publishing (c) plus its reading (d): 1/b ≈ 1/c + 1/d.
  console.log(
    `per message: direct ${(1e6 / direct.medianRate).toFixed(1)} µs, relay ${(1e6 / relay.medianRate).toFixed(1)} µs = ` +
      `publishing ${(1e6 / batches.medianRate).toFixed(1)} µs + reading and checkpoints ${(1e6 / reads.medianRate).toFixed(1)} µs`,
  );
  console.log(`(total ${((nowMs() - started) / 1000).toFixed(1)} s)`);
  await store.close();
  files.dispose();
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
