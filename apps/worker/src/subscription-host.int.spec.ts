import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import { loadConfig } from '@app/config';
import { type RecordedEvent, SqliteCheckpointStore, SqliteEventStore } from '@app/eventstore';
import { newEvents, waitUntil } from '@app/eventstore/testing';
import { PlatformModule } from '@app/platform';
import { SubscriptionHost } from './subscription-host';
import { WorkerModule } from './worker.module';

@Module({})
class Root {}

describe('SubscriptionHost in a Nest application over a real SQLite file', () => {
  let dataDir: string;
  // Apps still open when a test fails: closed here, so a failure cannot leave the run hanging.
  const apps: Array<{ close: () => Promise<void> }> = [];
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'worker-'))));
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const boot = async (handled: RecordedEvent[], env: Record<string, string> = {}) => {
    const config = loadConfig({ DATA_DIR: dataDir, SCHEDULER: 'off', ...env });
    const moduleRef = await Test.createTestingModule({
      imports: [{ module: Root, imports: [PlatformModule.forRoot(config, pino({ level: 'silent' })), WorkerModule] }],
    }).compile();
    const app = moduleRef;
    app.get(SubscriptionHost).register({
      name: 'collector',
      filter: { categories: ['unit'] },
      handle: async (batch) => {
        handled.push(...batch);
      },
    });
    await app.init();
    apps.push(app);
    return app;
  };

  it('starts registered subscriptions on boot, resumes from the checkpoint after a restart, and stores it on shutdown', async () => {
    const file = join(dataDir, 'engine.db');
    const writer = SqliteEventStore.open(file, { pollIntervalMs: 10 });
    await writer.appendToStream('unit-a', newEvents('UnitRegistered', 3));
    await writer.appendToStream('directive-d', newEvents('DirectiveDrafted', 1));

    const first: RecordedEvent[] = [];
    let app = await boot(first);
    await waitUntil(() => first.length === 3, 10_000, 'the first three events');
    await app.close();
    const checkpoint = new SqliteCheckpointStore(writer.db).loadSync('collector');
    expect(checkpoint).toBe(first[2].position);

    await writer.appendToStream('unit-b', newEvents('UnitRegistered', 2));
    const second: RecordedEvent[] = [];
    app = await boot(second);
    await waitUntil(() => second.length === 2, 10_000, 'the two new events');
    await app.close();
    expect(second.map((e) => e.streamId)).toEqual(['unit-b', 'unit-b']);
    await writer.close();
  });

  it('runs a subscription in one process only; a standby takes it over from the checkpoint when the holder stops', async () => {
    const file = join(dataDir, 'engine.db');
    const writer = SqliteEventStore.open(file, { pollIntervalMs: 10 });
    await writer.appendToStream('unit-a', newEvents('UnitRegistered', 3));
    const seenByA: RecordedEvent[] = [];
    const seenByB: RecordedEvent[] = [];
    const a = await boot(seenByA, { LEASE_TTL_MS: '1000' });
    const b = await boot(seenByB, { LEASE_TTL_MS: '1000' });
    await waitUntil(() => seenByA.length === 3, 10_000, 'the holder to catch up');
    const hostB = b.get(SubscriptionHost);
    expect(
      a
        .get(SubscriptionHost)
        .status()
        .find((s) => s.name === 'collector'),
    ).toMatchObject({ held: true, status: 'running' });
    expect(hostB.status().find((s) => s.name === 'collector')).toMatchObject({ held: false, status: 'standby' });
    // The standby reports the shared checkpoint, not its own idle position.
    expect((await hostB.subscriptionStates()).find((s) => s.name === 'collector')?.position).toBe(seenByA[2].position);

    await a.close();
    await writer.appendToStream('unit-b', newEvents('UnitRegistered', 2));
    await waitUntil(() => seenByB.length === 2, 10_000, 'the standby to take over');
    expect(seenByB.map((e) => e.streamId)).toEqual(['unit-b', 'unit-b']);
    expect(seenByA).toHaveLength(3);
    expect(hostB.holds('collector')).toBe(true);
    await b.close();
    await writer.close();
  });

  it('stops a subscription whose lease another process took over while this one stalled', async () => {
    const file = join(dataDir, 'engine.db');
    const writer = SqliteEventStore.open(file, { pollIntervalMs: 10 });
    await writer.appendToStream('unit-a', newEvents('UnitRegistered', 1));
    const seen: RecordedEvent[] = [];
    const app = await boot(seen, { LEASE_TTL_MS: '1000' });
    const host = app.get(SubscriptionHost);
    await waitUntil(() => seen.length === 1, 10_000, 'the first event');
    // What a takeover looks like from here: the row now names someone else.
    const db = new Database(file);
    db.prepare(`UPDATE ops_leases SET holder = 'elsewhere', expires_at = expires_at + 600000 WHERE name = 'collector'`).run();
    db.close();
    await host.tick();
    expect(host.holds('collector')).toBe(false);
    expect(host.status().find((s) => s.name === 'collector')?.status).toBe('standby');
    await writer.appendToStream('unit-b', newEvents('UnitRegistered', 1));
    await host.tick();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toHaveLength(1);
    await app.close();
    await writer.close();
  });

  it('shares the subscriptions between two workers, and the survivor takes them all when the other stops', async () => {
    const file = join(dataDir, 'engine.db');
    const writer = SqliteEventStore.open(file, { pollIntervalMs: 10 });
    await writer.appendToStream('unit-a', newEvents('UnitRegistered', 2));
    const boot2 = async (seen: Map<string, number>) => {
      const config = loadConfig({ DATA_DIR: dataDir, SCHEDULER: 'off', LEASE_TTL_MS: '1000' });
      const app = await Test.createTestingModule({
        imports: [{ module: Root, imports: [PlatformModule.forRoot(config, pino({ level: 'silent' })), WorkerModule] }],
      }).compile();
      for (const name of ['left', 'right'])
        app.get(SubscriptionHost).register({
          name,
          handle: async (batch) => void seen.set(name, (seen.get(name) ?? 0) + batch.length),
        });
      await app.init();
      apps.push(app);
      return app;
    };
    const seenA = new Map<string, number>();
    const seenB = new Map<string, number>();
    const a = await boot2(seenA);
    const hostA = a.get(SubscriptionHost);
    const heldBy = (host: SubscriptionHost) =>
      host
        .status()
        .filter((s) => s.held)
        .map((s) => s.name);
    const everything = hostA.status().map((s) => s.name);
    // The two of ours, the projections and the saga: all with the first worker while it is alone.
    expect(everything).toEqual(expect.arrayContaining(['left', 'right', 'projection:unit-tree', 'saga:period-opener']));
    expect(heldBy(hostA)).toEqual(everything);
    const b = await boot2(seenB);
    const hostB = b.get(SubscriptionHost);
    await waitUntil(() => heldBy(hostB).length > 0, 10_000, 'the second worker to get its share');
    const [ofA, ofB] = [heldBy(hostA), heldBy(hostB)];
    expect([...ofA, ...ofB].sort()).toEqual([...everything].sort());
    expect(Math.abs(ofA.length - ofB.length)).toBeLessThanOrEqual(1);

    await a.close();
    await waitUntil(() => heldBy(hostB).length === everything.length, 10_000, 'the survivor to take everything');
    await writer.appendToStream('unit-b', newEvents('UnitRegistered', 1));
    // Every event reached each subscription once, whichever worker ran it.
    await waitUntil(
      () => ['left', 'right'].every((n) => (seenA.get(n) ?? 0) + (seenB.get(n) ?? 0) === 3),
      10_000,
      'three events per subscription',
    );
    await b.close();
    await writer.close();
  });
});
