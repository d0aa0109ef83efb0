import type { CheckpointStore } from '@app/eventstore';
import type { ReadStore } from './read-store';

export const CHECKPOINTS_TABLE = 'checkpoints';

/**
 * Checkpoints of the subscribers that are not projections (the saga, the relay), kept in the
 * read store so that every worker process sees the same ones: a standby that takes a lease over
 * resumes where the previous holder stopped. (Embedded, this is the `checkpoints` table the
 * SQLite event store's file always had.) A checkpoint only moves forward: a holder that lost its
 * lease while finishing a batch cannot move it back behind the new holder.
 */
export class ReadStoreCheckpoints implements CheckpointStore {
  private prepared: Promise<void> | undefined;

  constructor(private readonly readStore: ReadStore) {}

  private prepare(): Promise<void> {
    this.prepared ??= this.readStore
      .transaction((trx) =>
        trx.schema
          .createTable(CHECKPOINTS_TABLE)
          .ifNotExists()
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('position', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute(),
      )
      .catch((error: unknown) => {
        this.prepared = undefined;
        throw error;
      });
    return this.prepared;
  }

  async load(name: string): Promise<number> {
    await this.prepare();
    const row = await this.readStore.db
      .selectFrom(CHECKPOINTS_TABLE)
      .select('position')
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? Number(row.position) : 0;
  }

  async store(name: string, position: number): Promise<void> {
    await this.prepare();
    const updatedAt = Date.now();
    await this.readStore.transaction((trx) =>
      trx
        .insertInto(CHECKPOINTS_TABLE)
        .values({ name, position, updated_at: updatedAt })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({ position, updated_at: updatedAt })
            .where(`${CHECKPOINTS_TABLE}.position`, '<', position),
        )
        .execute(),
    );
  }
}
