import { sql } from 'kysely';
import type { CheckpointStore, EventStore, RecordedEvent } from '@app/eventstore';
import type { Projection, TableNames } from './projection';
import { tableNames } from './projection';
import type { AnyDb, ReadStore } from './read-store';

export type RebuildProgress = Readonly<{
  projection: string;
  position: number;
  head: number;
  events: number;
  eventsPerSecond: number;
}>;

const REBUILD_SUFFIX = '__rebuild';

/**
 * Runs projections against a read store: each batch and its checkpoint in one transaction,
 * events at or before the checkpoint skipped (so a replayed event changes nothing), and
 * rebuilds into shadow tables swapped in atomically.
 */
export class Projector {
  constructor(
    readonly store: ReadStore,
    readonly projections: readonly Projection[],
  ) {}

  /**
   * Creates the checkpoint table and every projection's live tables, if missing. Safe to call from
   * several processes, also while another one is already projecting: each projection's tables are
   * prepared in a transaction of their own under that projection's lock (the one `project` takes),
   * so a CREATE INDEX never waits on a batch in flight that waits on it in turn (a deadlock seen
   * with two workers starting at once on PostgreSQL).
   */
  async prepare(): Promise<void> {
    await this.store.transaction(async (trx) => {
      if (this.store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(727275)`.execute(trx);
      await trx.schema
        .createTable('projection_checkpoints')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    });
    for (const projection of this.projections) {
      await this.store.transaction(async (trx) => {
        if (this.store.dialect === 'postgres') {
          await sql`SELECT pg_advisory_xact_lock(727275)`.execute(trx);
          await this.lockProjection(trx, projection.name);
        }
        const names = tableNames(projection);
        // Indexes come with new tables only: tables that exist have theirs, created here or by a
        // rebuild under its own generation's names (creating the `g0` ones again would maintain
        // every index twice). A later index on an existing table is a migration.
        const existed = await this.tableExists(trx, names[projection.tables[0]]);
        await projection.createTables(trx, names);
        if (!existed) await projection.createIndexes?.(trx, names);
      });
    }
  }

  private async tableExists(trx: AnyDb, table: string): Promise<boolean> {
    const found =
      this.store.dialect === 'postgres'
        ? await sql<{ found: string | null }>`SELECT to_regclass(${table})::text AS found`.execute(trx)
        : await sql<{
            found: string | null;
          }>`SELECT name AS found FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(trx);
    return found.rows.some((r) => r.found !== null);
  }

  /** The lock every write to a projection's live tables holds: one batch, a prepare or a swap at a time. */
  private async lockProjection(trx: AnyDb, checkpointName: string): Promise<void> {
    if (this.store.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtext(${`projection:${checkpointName}`}))`.execute(trx);
  }

  /** Loads checkpoints for the subscription runner; writes go through `project`. */
  checkpoints(): CheckpointStore {
    return {
      load: (name) => this.checkpoint(this.store.db, name),
      store: async () => {
        throw new Error('projections store their checkpoint inside their own transaction');
      },
    };
  }

  async checkpoint(db: AnyDb, name: string): Promise<number> {
    const row = await db.selectFrom('projection_checkpoints').select('position').where('name', '=', name).executeTakeFirst();
    return row ? Number(row.position) : 0;
  }

  /** Applies a batch to a projection's tables with its checkpoint, in one transaction. Returns how many events were new. */
  async project(
    projection: Projection,
    events: readonly RecordedEvent[],
    t: TableNames = tableNames(projection),
    checkpointName = projection.name,
  ): Promise<number> {
    if (events.length === 0) return 0;
    return this.store.transaction(async (trx) => {
      // Two workers projecting the same batch at once: on PostgreSQL (read committed) both would read
      // the old checkpoint and apply their increments twice. A transaction-scoped lock per checkpoint
      // makes the second wait, then see the moved checkpoint and skip. (SQLite's BEGIN IMMEDIATE
      // already serialises the whole transaction.)
      await this.lockProjection(trx, checkpointName);
      const checkpoint = await this.checkpoint(trx, checkpointName);
      const fresh = events.filter((e) => e.position > checkpoint);
      if (fresh.length === 0) return 0;
      await projection.apply(trx, fresh, t);
      await this.saveCheckpoint(trx, checkpointName, fresh[fresh.length - 1].position);
      return fresh.length;
    });
  }

  private async saveCheckpoint(trx: AnyDb, name: string, position: number): Promise<void> {
    await trx
      .insertInto('projection_checkpoints')
      .values({ name, position, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ position, updated_at: new Date().toISOString() }))
      .execute();
  }

  /**
   * Rebuilds a projection from position zero into shadow tables while the live ones keep serving
   * queries (and keep being updated), then swaps them in, in one transaction, at the position the
   * rebuild reached, after catching up to the head inside that transaction.
   */
  async rebuild(
    projection: Projection,
    events: EventStore,
    onProgress?: (progress: RebuildProgress) => void,
    batchSize = 5000,
  ): Promise<RebuildProgress> {
    const generation = Date.now().toString(36);
    const shadow = tableNames(projection, REBUILD_SUFFIX, generation);
    const checkpointName = `${projection.name}${REBUILD_SUFFIX}`;
    await this.store.transaction(async (trx) => {
      for (const table of projection.tables) await trx.schema.dropTable(shadow[table]).ifExists().execute();
      await trx.deleteFrom('projection_checkpoints').where('name', '=', checkpointName).execute();
      await projection.createTables(trx, shadow);
    });
    const started = Date.now();
    let position = 0;
    let count = 0;
    let head = await events.headPosition();
    const report = (): RebuildProgress => {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      return { projection: projection.name, position, head, events: count, eventsPerSecond: Math.round(count / seconds) };
    };
    for (;;) {
      const batch = await events.readAll({ after: position, maxCount: batchSize, filter: projection.filter });
      if (batch.length === 0) break;
      count += await this.project(projection, batch, shadow, checkpointName);
      position = batch[batch.length - 1].position;
      if (position >= head) head = await events.headPosition();
      onProgress?.(report());
    }
    await this.store.transaction(async (trx) => {
      // The live runner (in this process or another) waits while the tables are swapped under it.
      await this.lockProjection(trx, projection.name);
      // Events appended since the last page: apply them here, so nothing falls between the swap and the live runner.
      for (;;) {
        const batch = await events.readAll({ after: position, maxCount: batchSize, filter: projection.filter });
        if (batch.length === 0) break;
        await projection.apply(trx, batch, shadow);
        count += batch.length;
        position = batch[batch.length - 1].position;
      }
      await projection.createIndexes?.(trx, shadow);
      const live = tableNames(projection);
      for (const table of projection.tables) {
        await trx.schema.dropTable(live[table]).ifExists().execute();
        await sql`ALTER TABLE ${sql.table(shadow[table])} RENAME TO ${sql.table(live[table])}`.execute(trx);
      }
      await trx.deleteFrom('projection_checkpoints').where('name', '=', checkpointName).execute();
      if (position > 0) await this.saveCheckpoint(trx, projection.name, position);
      else await trx.deleteFrom('projection_checkpoints').where('name', '=', projection.name).execute();
    });
    const done = report();
    onProgress?.(done);
    return done;
  }
}
