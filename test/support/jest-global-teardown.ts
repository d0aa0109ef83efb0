import type { PostgresServer } from './postgres-server';

export default async function globalTeardown(): Promise<void> {
  (globalThis as { __postgres?: PostgresServer }).__postgres?.stop();
}
