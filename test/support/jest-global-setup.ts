import { type PostgresServer, postgresUnavailableReason, startPostgres } from './postgres-server';

/** Starts one PostgreSQL cluster for the whole run; suites create their own databases in it. */
export default async function globalSetup(): Promise<void> {
  if (process.env.READSTORE_TEST_URL) return;
  const reason = postgresUnavailableReason();
  if (reason) {
    console.log(`\nPostgreSQL suites will be SKIPPED: ${reason}`);
    return;
  }
  const server: PostgresServer = await startPostgres();
  process.env.READSTORE_TEST_URL = server.url;
  (globalThis as { __postgres?: PostgresServer }).__postgres = server;
}
