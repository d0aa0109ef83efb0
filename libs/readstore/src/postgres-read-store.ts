import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';
import type { AnyDb, ReadStore } from './read-store';

// BIGINT (positions, counts) as JavaScript numbers: positions stay below 2^53.
types.setTypeParser(20, (value) => Number(value));

/** Read models in PostgreSQL (production). */
export class PostgresReadStore implements ReadStore {
  readonly dialect = 'postgres' as const;
  readonly db: AnyDb;
  private readonly pool: Pool;

  constructor(url: string, poolSize = 10) {
    this.pool = new Pool({ connectionString: url, max: poolSize });
    // An idle pooled connection that the server ends (restart, failover, a forced DROP) emits
    // 'error' on the pool; unhandled, that would crash the process. The pool drops the client, and
    // the next query opens a fresh one or fails with an error the caller handles.
    this.pool.on('error', () => undefined);
    this.db = new Kysely({ dialect: new PostgresDialect({ pool: this.pool }) });
  }

  transaction<T>(work: (trx: AnyDb) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
