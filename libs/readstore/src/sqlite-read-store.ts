import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { configureConnection, type SqliteDurability, WriteLock } from '@app/eventstore';
import type { AnyDb, ReadStore } from './read-store';

/**
 * Kysely prepares every query anew; read models repeat the same few statements (a chunked insert,
 * an upsert, a lookup) millions of times in a rebuild, so keep prepared statements by their SQL.
 */
const withStatementCache = (connection: Database.Database, size = 256): Database.Database => {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
    } else {
      statement = connection.prepare(source);
      if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, statement);
    return statement;
  };
  return new Proxy(connection, { get: (target, key) => (key === 'prepare' ? prepare : Reflect.get(target, key, target)) });
};

/**
 * Read models in the embedded SQLite file. Two connections: one that projections write through,
 * one for queries, so a query never sees half a batch. Writes take the in-process write lock
 * shared with the event store and open with BEGIN IMMEDIATE, so they wait for other processes'
 * writers instead of failing half-way.
 */
export class SqliteReadStore implements ReadStore {
  readonly dialect = 'sqlite' as const;
  readonly db: AnyDb;
  private readonly writer: AnyDb;
  private readonly connections: Database.Database[];

  constructor(
    file: string,
    private readonly lock: WriteLock = new WriteLock(),
    durability: SqliteDurability = 'NORMAL',
  ) {
    const open = (): Database.Database => {
      const connection = new Database(file);
      configureConnection(connection, durability, 5000);
      return connection;
    };
    const writeConnection = open();
    const queryConnection = open();
    this.connections = [writeConnection, queryConnection];
    this.writer = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(writeConnection) }) });
    this.db = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(queryConnection) }) });
  }

  transaction<T>(work: (trx: AnyDb) => Promise<T>): Promise<T> {
    return this.lock.run(() =>
      this.writer.connection().execute(async (connection) => {
        await sql`BEGIN IMMEDIATE`.execute(connection);
        try {
          const result = await work(connection);
          await sql`COMMIT`.execute(connection);
          return result;
        } catch (error) {
          await sql`ROLLBACK`.execute(connection);
          throw error;
        }
      }),
    );
  }

  async close(): Promise<void> {
    await this.writer.destroy();
    await this.db.destroy();
    for (const connection of this.connections) if (connection.open) connection.close();
  }
}
