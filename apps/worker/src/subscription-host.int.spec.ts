import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'worker-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const boot = async (handled: RecordedEvent[]) => {
    const config = loadConfig({ DATA_DIR: dataDir });
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
});
