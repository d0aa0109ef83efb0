import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '@app/config';
import { type CheckpointStore, type EventStore, KurrentDbEventStore, SqliteEventStore, WriteLock } from '@app/eventstore';
import { PostgresReadStore, type ReadStore, ReadStoreCheckpoints, SqliteReadStore } from '@app/readstore';

export type Stores = Readonly<{
  eventStore: EventStore;
  /**
   * For subscribers that are not projections (sagas, the relay): they keep their checkpoint here,
   * in the read store, where every worker process sees it.
   */
  checkpoints: CheckpointStore;
  readStore: ReadStore;
  describe: string;
  close: () => Promise<void>;
}>;

export const sqliteFile = (config: AppConfig): string => join(resolve(config.DATA_DIR), 'engine.db');

/**
 * Embedded: one SQLite file holds events, checkpoints and read models, and one in-process write
 * lock orders their writers. Production: KurrentDB holds the events and PostgreSQL
 * (READSTORE_URL) the read models; without READSTORE_URL the read models stay in a local SQLite file.
 */
export const openStores = async (config: AppConfig): Promise<Stores> => {
  mkdirSync(resolve(config.DATA_DIR), { recursive: true });
  const file = sqliteFile(config);
  const lock = new WriteLock();
  const readStore = (): ReadStore =>
    config.READSTORE_URL
      ? new PostgresReadStore(config.READSTORE_URL)
      : new SqliteReadStore(file, lock, config.SQLITE_DURABILITY);
  if (config.EVENTSTORE_URL) {
    const eventStore = await KurrentDbEventStore.connect(config.EVENTSTORE_URL);
    const reads = readStore();
    return {
      eventStore,
      checkpoints: new ReadStoreCheckpoints(reads),
      readStore: reads,
      describe: `kurrentdb + ${reads.dialect}`,
      close: async () => {
        await reads.close();
        await eventStore.close();
      },
    };
  }
  const eventStore = SqliteEventStore.open(file, { durability: config.SQLITE_DURABILITY, writeLock: lock });
  const reads = readStore();
  return {
    eventStore,
    checkpoints: new ReadStoreCheckpoints(reads),
    readStore: reads,
    describe: `sqlite:${file} + ${reads.dialect}`,
    close: async () => {
      await reads.close();
      await eventStore.close();
    },
  };
};
