import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '@app/config';
import {
  type CheckpointStore,
  type EventStore,
  KurrentDbEventStore,
  SqliteCheckpointStore,
  SqliteEventStore,
} from '@app/eventstore';

export type Stores = Readonly<{ eventStore: EventStore; checkpoints: CheckpointStore; describe: string }>;

export const sqliteFile = (config: AppConfig): string => join(resolve(config.DATA_DIR), 'engine.db');

/**
 * Embedded: one SQLite file holds events and checkpoints. Production: KurrentDB holds the events;
 * until the PostgreSQL read store lands, checkpoints stay in a local SQLite file.
 */
export const openStores = async (config: AppConfig): Promise<Stores> => {
  mkdirSync(resolve(config.DATA_DIR), { recursive: true });
  if (config.EVENTSTORE_URL) {
    const eventStore = await KurrentDbEventStore.connect(config.EVENTSTORE_URL);
    const local = SqliteEventStore.open(sqliteFile(config), { durability: config.SQLITE_DURABILITY });
    return { eventStore, checkpoints: new SqliteCheckpointStore(local.db), describe: 'kurrentdb' };
  }
  const eventStore = SqliteEventStore.open(sqliteFile(config), { durability: config.SQLITE_DURABILITY });
  return { eventStore, checkpoints: new SqliteCheckpointStore(eventStore.db), describe: `sqlite:${sqliteFile(config)}` };
};
