import type { Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

// Read-model tables are declared by each projection; the store itself is table-agnostic.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

/**
 * The read side's database: SQLite (the same file as the events, embedded) or PostgreSQL
 * (production), behind one Kysely query builder.
 */
export interface ReadStore {
  readonly dialect: Dialect;
  /** For queries: never sees a projection's uncommitted rows. */
  readonly db: AnyDb;
  /** Runs projection writes in one transaction, serialised with the event store's appends on SQLite. */
  transaction<T>(work: (trx: AnyDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
