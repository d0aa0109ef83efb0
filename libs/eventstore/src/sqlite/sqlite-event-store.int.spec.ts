import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

let dir: string | undefined;
let file = '';

describeEventStoreContract('SQLite (a real file, WAL)', {
  open: async (options) => {
    if (!dir) {
      dir = mkdtempSync(join(tmpdir(), 'es-contract-'));
      file = join(dir, 'events.db');
    }
    return SqliteEventStore.open(file, { upcasters: options?.upcasters, pollIntervalMs: 20 });
  },
  openSecond: async () => SqliteEventStore.open(file, { pollIntervalMs: 20 }),
  cleanup: async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  },
});
