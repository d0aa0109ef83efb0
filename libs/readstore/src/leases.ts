import { type RawBuilder, sql } from 'kysely';
import { OPS_LEASES_TABLE } from '@app/eventstore';
import type { ReadStore } from './read-store';

/** The table's name is the event store's: `restore` looks in it for a live process before replacing the file. */
export const LEASES_TABLE = OPS_LEASES_TABLE;

export type Lease = Readonly<{
  name: string;
  holder: string;
  /** Epoch milliseconds by the database's clock. */
  expiresAt: number;
  /** Counts changes of holder: a takeover increments it. */
  epoch: number;
  live: boolean;
}>;

/**
 * Named leases in the read store, shared by every worker process: a projection, the saga, the
 * relay and the digest each run where their lease is held, and nowhere else.
 *
 * A lease is a row with a holder and an expiry taken from the database's clock (so the workers'
 * clocks do not matter). The holder renews it well before it expires; a holder that dies stops
 * renewing, and another process takes the row over once it has expired. A graceful shutdown
 * deletes its rows, so a standby takes over at its next attempt. Unlike a PostgreSQL session
 * advisory lock, a lease is released after a fixed time even when the holder's connection hangs
 * rather than closes (a partition, a stalled host), and it works the same on SQLite.
 */
export class Leases {
  private prepared = false;

  constructor(private readonly store: ReadStore) {}

  async prepare(): Promise<void> {
    if (this.prepared) return;
    await this.store.transaction(async (trx) => {
      if (this.store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(727276)`.execute(trx);
      await trx.schema
        .createTable(LEASES_TABLE)
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('epoch', 'bigint', (c) => c.notNull())
        .execute();
    });
    this.prepared = true;
  }

  /** The database's clock in epoch milliseconds. */
  private now(): RawBuilder<number> {
    return this.store.dialect === 'postgres'
      ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
      : sql<number>`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;
  }

  /**
   * Takes each named lease that is free, expired, or already this holder's, for `ttlMs` from now.
   * Returns the names this holder now holds.
   */
  async acquire(holder: string, names: readonly string[], ttlMs: number): Promise<string[]> {
    if (names.length === 0) return [];
    await this.prepare();
    const table = sql.table(LEASES_TABLE);
    const rows = sql.join(names.map((name) => sql`(${name}, ${holder}, ${this.now()} + ${ttlMs}, 1)`));
    const result = await this.store.transaction((trx) =>
      sql<{ name: string }>`
        INSERT INTO ${table} (name, holder, expires_at, epoch) VALUES ${rows}
        ON CONFLICT (name) DO UPDATE SET
          holder = excluded.holder,
          expires_at = excluded.expires_at,
          epoch = ${table}.epoch + CASE WHEN ${table}.holder = excluded.holder THEN 0 ELSE 1 END
        WHERE ${table}.holder = excluded.holder OR ${table}.expires_at < ${this.now()}
        RETURNING name`.execute(trx),
    );
    return result.rows.map((r) => r.name);
  }

  /**
   * Extends the leases this holder still has (even past their expiry, as long as nobody took
   * them over). Returns the names still held; any other name was lost.
   */
  async renew(holder: string, names: readonly string[], ttlMs: number): Promise<string[]> {
    if (names.length === 0) return [];
    await this.prepare();
    const result = await this.store.transaction((trx) =>
      sql<{ name: string }>`
        UPDATE ${sql.table(LEASES_TABLE)} SET expires_at = ${this.now()} + ${ttlMs}
        WHERE holder = ${holder} AND name IN (${sql.join(names)})
        RETURNING name`.execute(trx),
    );
    return result.rows.map((r) => r.name);
  }

  /** Gives leases up at once (all of this holder's when no names are given). */
  async release(holder: string, names?: readonly string[]): Promise<void> {
    if (names?.length === 0) return;
    await this.prepare();
    await this.store.transaction((trx) => {
      let query = trx.deleteFrom(LEASES_TABLE).where('holder', '=', holder);
      if (names) query = query.where('name', 'in', names);
      return query.execute();
    });
  }

  /** Deletes leases under a name prefix that expired more than `graceMs` ago (members that died long since). */
  async forgetExpired(prefix: string, graceMs: number): Promise<void> {
    await this.prepare();
    await this.store.transaction((trx) =>
      sql`DELETE FROM ${sql.table(LEASES_TABLE)} WHERE name LIKE ${`${prefix}%`} AND expires_at < ${this.now()} - ${graceMs}`.execute(
        trx,
      ),
    );
  }

  /** Every lease with its holder, for operators and tests. */
  async list(): Promise<Lease[]> {
    await this.prepare();
    const result = await sql<{
      name: string;
      holder: string;
      expires_at: number | string;
      epoch: number | string;
      now: number | string;
    }>`
      SELECT name, holder, expires_at, epoch, ${this.now()} AS now FROM ${sql.table(LEASES_TABLE)} ORDER BY name`.execute(
      this.store.db,
    );
    return result.rows.map((r) => ({
      name: r.name,
      holder: r.holder,
      expiresAt: Number(r.expires_at),
      epoch: Number(r.epoch),
      live: Number(r.expires_at) > Number(r.now),
    }));
  }
}
