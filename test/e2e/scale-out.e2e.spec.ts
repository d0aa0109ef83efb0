// Two worker processes against one PostgreSQL read store and one SQLite event store, relaying to
// a Kafka-protocol broker, with deadline timers falling due: one worker is killed (SIGKILL) in the
// middle of its work. Afterwards the read models equal a rebuild from the log, every timer fired
// exactly once, and every event reached Kafka (at least once; exactly once after dedupe by id).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type RecordedEvent, SqliteEventStore } from '@app/eventstore';
import { ALL_PROJECTIONS } from '@app/read-models';
import { PostgresReadStore, Projector, tableNames } from '@app/readstore';
import type { ReportingObligationOpened } from '@app/reporting';
import { draftAndIssue, smallHierarchy, World } from '../bench/commands/world';
import { createPostgresDatabase } from '../../libs/readstore/src/testing/read-stores';
import { isSkipped, type MockKafka, mockKafkaUnavailableReason, startMockKafka, waitFor } from '../support/kafka/mock-kafka';
import { type ReadMessage, readTopics } from '../support/kafka/topic-reader';
import { type Started, startProcess } from './process-harness';

const COMMUNES = 1500;
const DIRECTIVE = 'kh-scale';
const PREFIX = 'so';
const FIRED = ['ReminderIssued', 'ReportOverdue', 'EscalationRaised'];
/** Columns the deadline scheduler owns (claims), not the projection. */
const SCHEDULER_COLUMNS = new Set(['claimed_until', 'attempts']);

const pgUrl = process.env.READSTORE_TEST_URL;
const kafkaUnavailable = mockKafkaUnavailableReason();
const unavailable = !pgUrl ? 'no PostgreSQL test cluster (READSTORE_TEST_URL unset)' : kafkaUnavailable;
if (unavailable && process.env.CI) throw new Error(`scale-out test cannot run in CI: ${unavailable}`);
if (unavailable) console.log(`two-worker scale-out test SKIPPED: ${unavailable}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Units, one directive issued to every commune, one period opened with its due date long past; a quarter of the communes report. */
const seed = async (file: string): Promise<void> => {
  const world = new World(file, new Date('2026-03-01T02:00:00Z'));
  const { csv, communeIds } = smallHierarchy(COMMUNES);
  await world.units.importCsv(world.as('admin', 'TW', ['admin']), csv, '2026-01-01');
  // On request: the one period below is all; nothing opens on schedule while the workers run on the real clock.
  await draftAndIssue(world, DIRECTIVE, 'P', 'commune', 'on_request');
  await world.reporting.openPeriod(world.as('officer', 'P', ['officer']), DIRECTIVE, {
    period: '2026-03',
    window: { from: '2026-02-15', to: '2026-03-14' },
    due: '2026-03-20T17:00:00+07:00',
  });
  for (const unitId of communeIds.filter((_, i) => i % 4 === 0)) {
    await world.reporting.submit(
      world.as(`officer.${unitId}`, unitId, ['officer']),
      { directiveId: DIRECTIVE, unitId, period: '2026-03' },
      {
        values: { t1: { kind: 'number', value: 3 } },
        narrative: { results: 'Đã tổ chức 3 hoạt động', difficulties: '', proposals: '' },
      },
    );
  }
  await world.close();
};

(unavailable ? describe.skip : describe)('two workers, one killed mid-batch', () => {
  let dataDir: string;
  let kafka: MockKafka;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let reference: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let pg: Client;
  const workers: Started[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'scale-out-'));
    const started = await startMockKafka();
    if (isSkipped(started)) throw new Error(started.skipped);
    kafka = started;
    database = await createPostgresDatabase(pgUrl!);
    reference = await createPostgresDatabase(pgUrl!);
    pg = new Client({ connectionString: database.url });
    await pg.connect();
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await pg?.end();
    await database?.drop();
    await reference?.drop();
    await kafka?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const startWorker = async (): Promise<Started> => {
    const worker = await startProcess(
      'worker',
      {
        DATA_DIR: dataDir,
        READSTORE_URL: database.url,
        KAFKA_BROKERS: kafka.brokers.join(','),
        KAFKA_TOPIC_PREFIX: PREFIX,
        JWT_SECRET: 'scale-out-test-secret-0123456789abcdef',
        LEASE_TTL_MS: '2000',
        SCHEDULER_CLAIM_MS: '3000',
        SCHEDULER_INTERVAL_MS: '200',
        SCHEDULER_BATCH_SIZE: '200',
        LOG_LEVEL: 'info',
      },
      'worker running',
      60_000,
    );
    workers.push(worker);
    return worker;
  };

  const query = async <T>(text: string, values: unknown[] = []): Promise<T[]> => (await pg.query(text, values)).rows as T[];
  const leaseHolders = async () =>
    query<{ name: string; holder: string }>(
      'SELECT name, holder FROM ops_leases WHERE expires_at > (extract(epoch from clock_timestamp()) * 1000)::bigint',
    );
  const pidOf = (holder: string) => Number(holder.split(':')[1]);

  it('loses and duplicates nothing: read models, timers fired, messages relayed', async () => {
    const file = join(dataDir, 'engine.db');
    await seed(file);
    const events = SqliteEventStore.open(file, { pollIntervalMs: 20 });
    const seededHead = await events.headPosition();
    const count = (sql: string) => (events.db.prepare(sql).pluck().get() as number) ?? 0;
    const fired = () => count(`SELECT count(*) FROM events WHERE type IN (${FIRED.map((t) => `'${t}'`).join(',')})`);

    // Both start at once (each prepares the read-model tables while the other may already project)
    // and share the leases. Both fire timers.
    const [first, second] = await Promise.all([startWorker(), startWorker()]);
    // Every projection, the saga, the relay and the digest: each held by one of the two, half each.
    const workLeases = ALL_PROJECTIONS.length + 3;
    const work = async () => (await leaseHolders()).filter((l) => !l.name.startsWith('member:'));
    const shared = (leases: Awaited<ReturnType<typeof work>>) => {
      const ofFirst = leases.filter((l) => pidOf(l.holder) === first.child.pid).length;
      return leases.length === workLeases && Math.abs(2 * ofFirst - workLeases) <= 1;
    };
    await waitFor(async () => shared(await work()), 'the two workers to share the work half and half', 30_000);
    const leasesBefore = await work();
    const ofFirst = leasesBefore.filter((l) => pidOf(l.holder) === first.child.pid).length;
    console.log(`work leases: ${ofFirst} held by one worker, ${leasesBefore.length - ofFirst} by the other`);
    expect(new Set(leasesBefore.map((l) => l.name)).size).toBe(workLeases);
    // A is the one running the relay: it is killed.
    const relayHolder = pidOf(leasesBefore.find((l) => l.name === 'relay:kafka')!.holder);
    const [a, b] = relayHolder === first.child.pid ? [first, second] : [second, first];

    // Kill A while the schedulers are firing and the projections and the relay are catching up.
    await waitFor(() => fired() >= 1_000, 'the schedulers to fire a first thousand timers', 120_000);
    const atKill = {
      head: await events.headPosition(),
      fired: fired(),
      checkpoints: await query<{ name: string; position: string }>('SELECT name, position FROM projection_checkpoints'),
      relay: await query<{ position: string }>(`SELECT position FROM checkpoints WHERE name = 'relay:kafka'`),
    };
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    await a.exited;
    console.log(
      `killed worker A at head ${atKill.head} (seeded ${seededHead}), ${atKill.fired} timers fired; relay at ${atKill.relay[0]?.position ?? 0}; projections behind: ${
        atKill.checkpoints.filter((c) => Number(c.position) < atKill.head).length
      } of ${atKill.checkpoints.length}`,
    );

    // B takes every lease over.
    await waitFor(
      async () => {
        const holders = (await leaseHolders()).filter((l) => !l.name.startsWith('member:'));
        return holders.length === leasesBefore.length && holders.every((l) => pidOf(l.holder) === b.child.pid);
      },
      'worker B to take every lease over',
      30_000,
    );
    console.log(`worker B holds every lease ${Date.now() - killedAt} ms after the kill`);

    // Quiet: no timer left due, and the head stays put while every subscription has reached it.
    const obligations = count(`SELECT count(*) FROM events WHERE type = 'ReportingObligationOpened'`);
    const caughtUp = async (): Promise<boolean> => {
      const head = await events.headPosition();
      const relay = await query<{ position: string }>(`SELECT position FROM checkpoints WHERE name = 'relay:kafka'`);
      if (Number(relay[0]?.position ?? 0) < head) return false;
      const due = await query<{ n: string }>('SELECT count(*) AS n FROM rm_timers WHERE armed = 1 AND fire_at <= $1', [
        Date.now(),
      ]);
      if (Number(due[0].n) > 0) return false;
      for (const projection of ALL_PROJECTIONS) {
        const [row] = await query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE name = $1', [
          projection.name,
        ]);
        const pending = await events.readAll({ after: Number(row?.position ?? 0), filter: projection.filter, maxCount: 1 });
        if (pending.length > 0) return false;
      }
      return true;
    };
    await waitFor(
      async () => {
        if (!(await caughtUp())) return false;
        const head = await events.headPosition();
        await sleep(3_000);
        return (await caughtUp()) && (await events.headPosition()) === head;
      },
      'the surviving worker to finish everything',
      180_000,
    );

    const all: RecordedEvent[] = [];
    for (let after = 0; ;) {
      const page = await events.readAll({ after, maxCount: 5_000 });
      if (page.length === 0) break;
      all.push(...page);
      after = page[page.length - 1].position;
    }

    // 1. Timers: every obligation not reported was marked overdue and escalated at each step exactly once,
    //    and got no reminder (the workers run after the due date: a late reminder is skipped); reported ones got nothing.
    const byStream = new Map<string, RecordedEvent[]>();
    for (const e of all) if (e.streamId.startsWith('report-')) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    expect(byStream.size).toBe(COMMUNES);
    let expectedFired = 0;
    for (const [streamId, stream] of byStream) {
      const opened = stream[0] as unknown as ReportingObligationOpened & RecordedEvent;
      expect(opened.type).toBe('ReportingObligationOpened');
      const reported = stream.some((e) => e.type === 'ReportSubmitted');
      const followUps = opened.data.followUps!;
      expect(followUps.escalations.length).toBeGreaterThan(0);
      const expected = reported ? [] : ['ReportOverdue:-', ...followUps.escalations.map((s) => `EscalationRaised:${s.step}`)];
      const actual = stream
        .filter((e) => FIRED.includes(e.type))
        .map((e) => `${e.type}:${(e.data as { step?: number }).step ?? '-'}`);
      if (actual.sort().join() !== [...expected].sort().join())
        throw new Error(`${streamId}: fired ${actual.join()} expected ${expected.join()}`);
      expectedFired += expected.length;
    }
    expect(obligations).toBe(COMMUNES);
    expect(fired()).toBe(expectedFired);
    expect(expectedFired).toBeGreaterThan(atKill.fired);

    // 2. Read models: equal to a rebuild of the same log in a fresh database, table by table.
    const store = new PostgresReadStore(reference.url, 2);
    try {
      const projector = new Projector(store, ALL_PROJECTIONS);
      await projector.prepare();
      for (const projection of ALL_PROJECTIONS) {
        for (let after = 0; ;) {
          const page = await events.readAll({ after, maxCount: 5_000, filter: projection.filter });
          if (page.length === 0) break;
          await projector.project(projection, page);
          after = page[page.length - 1].position;
        }
      }
      const ref = new Client({ connectionString: reference.url });
      await ref.connect();
      try {
        for (const projection of ALL_PROJECTIONS) {
          for (const table of projection.tables) {
            const name = tableNames(projection)[table];
            const [mine, theirs] = await Promise.all([dump(pg, name), dump(ref, name)]);
            expect({ table: name, rows: mine.length }).toEqual({ table: name, rows: theirs.length });
            expect(mine).toEqual(theirs);
          }
        }
      } finally {
        await ref.end();
      }
    } finally {
      await store.close();
    }

    // 3. Kafka: every event on its category's topic, every overdue mark and escalation on the reminders topic.
    const categories = [...new Set(all.map((e) => e.streamId.split('-')[0]))];
    const topics = [...categories.map((c) => `${PREFIX}.${c}s`), `${PREFIX}.reminders`];
    const reader = await readTopics(kafka.brokers, topics, `scale-out-${Date.now()}`);
    const firedIds = new Set(all.filter((e) => FIRED.includes(e.type)).map((e) => e.id));
    const relayed = (messages: readonly ReadMessage[]) => messages.filter((m) => !m.topic.endsWith('.reminders'));
    const reminders = (messages: readonly ReadMessage[]) =>
      messages.filter((m) => m.topic.endsWith('.reminders') && m.headers['message-kind'] !== 'digest');
    try {
      await waitFor(
        () =>
          new Set(relayed(reader.messages).map((m) => m.headers['event-id'])).size === all.length &&
          new Set(reminders(reader.messages).map((m) => m.headers['event-id'])).size === firedIds.size,
        'every event and reminder on Kafka',
        120_000,
      );
    } finally {
      await reader.stop();
    }
    const ids = relayed(reader.messages).map((m) => m.headers['event-id']);
    expect(new Set(ids)).toEqual(new Set(all.map((e) => e.id)));
    expect(new Set(reminders(reader.messages).map((m) => m.headers['event-id']))).toEqual(firedIds);
    // One relay at a time: a takeover replays the one batch (up to 500 events) its holder had sent but not
    // checkpointed (twice that leaves room for a producer retry). Two relays side by side would send nearly every event twice.
    expect(ids.length - all.length).toBeLessThanOrEqual(1_000);
    // Per stream, the first delivery of each event comes in the log's order.
    const firstSeen = new Map<string, string[]>();
    const seen = new Set<string>();
    for (const m of relayed(reader.messages)) {
      if (seen.has(m.headers['event-id'])) continue;
      seen.add(m.headers['event-id']);
      firstSeen.set(m.key, [...(firstSeen.get(m.key) ?? []), m.headers['event-id']]);
    }
    for (const [streamId, order] of firstSeen) {
      expect(order).toEqual(all.filter((e) => e.streamId === streamId).map((e) => e.id));
    }
    console.log(
      `${all.length} events, ${expectedFired} timers fired once each; Kafka: ${ids.length} deliveries of ${all.length} events (${ids.length - all.length} replayed after the kill)`,
    );
    await events.close();

    // B shuts down gracefully and gives its leases up.
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(await leaseHolders()).toEqual([]);
  }, 600_000);
});

/** Every row of a table, without the scheduler's columns, in a stable order. */
const dump = async (client: Client, table: string): Promise<string[]> => {
  const { rows } = await client.query(`SELECT * FROM ${table}`);
  return rows
    .map((row: Record<string, unknown>) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(row)
            .filter(([column]) => !SCHEDULER_COLUMNS.has(column))
            .sort(),
        ),
      ),
    )
    .sort();
};
