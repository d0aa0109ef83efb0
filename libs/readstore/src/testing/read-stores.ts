import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { WriteLock } from '@app/eventstore';
import { PostgresReadStore } from '../postgres-read-store';
import type { ReadStore } from '../read-store';
import { SqliteReadStore } from '../sqlite-read-store';

export type ReadStoreFixture = Readonly<{ store: ReadStore; file?: string; lock?: WriteLock; cleanup: () => Promise<void> }>;

const openSqlite = async (): Promise<ReadStoreFixture> => {
  const dir = mkdtempSync(join(tmpdir(), 'readstore-'));
  const file = join(dir, 'engine.db');
  const lock = new WriteLock();
  const store = new SqliteReadStore(file, lock);
  return { store, file, lock, cleanup: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
};

/** A fresh database in the test cluster started by test/support/jest-global-setup.ts: its URL and how to drop it. */
export const createPostgresDatabase = async (url: string): Promise<{ url: string; drop: () => Promise<void> }> => {
  const name = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: url.replace(/\/[^/]*$/, `/${name}`),
    drop: async () => {
      const again = new Client({ connectionString: url });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
};

const openPostgres = async (url: string): Promise<ReadStoreFixture> => {
  const database = await createPostgresDatabase(url);
  const store = new PostgresReadStore(database.url, 4);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
};

/**
 * Runs a suite on every read-store dialect: SQLite always, PostgreSQL when the test cluster is up
 * (it says so when it is not).
 */
export const describeOnReadStores = (title: string, suite: (open: () => Promise<ReadStoreFixture>) => void): void => {
  describe(`${title} [sqlite]`, () => suite(openSqlite));
  const url = process.env.READSTORE_TEST_URL;
  if (url) {
    describe(`${title} [postgres]`, () => suite(() => openPostgres(url)));
  } else {
    describe(`${title} [postgres]`, () => {
      it('is skipped: no PostgreSQL test cluster (READSTORE_TEST_URL unset; install the postgresql package)', () => {
        console.log(`${title} [postgres] SKIPPED: READSTORE_TEST_URL is not set`);
        expect(process.env.READSTORE_TEST_URL).toBeUndefined();
      });
    });
  }
};
