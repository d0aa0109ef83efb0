import { sql } from 'kysely';
import type { AnyDb, ReadStore } from './read-store';

export type Migration = Readonly<{ version: number; name: string; up: (db: AnyDb) => Promise<void> }>;

/**
 * Applies, in order and each in its own transaction, the migrations not yet recorded in
 * `schema_migrations`. On PostgreSQL an advisory lock keeps two starting processes from racing.
 */
export const migrate = async (store: ReadStore, migrations: readonly Migration[]): Promise<number[]> => {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const applied: number[] = [];
  for (const migration of sorted) {
    await store.transaction(async (trx) => {
      if (store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(727274)`.execute(trx);
      await trx.schema
        .createTable('schema_migrations')
        .ifNotExists()
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .execute();
      const done = await trx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (done) return;
      await migration.up(trx);
      await trx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      applied.push(migration.version);
    });
  }
  return applied;
};
