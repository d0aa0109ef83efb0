import type { EventFilter, RecordedEvent } from '@app/eventstore';
import type { AnyDb } from './read-store';

/** The actual name of each of a projection's tables: the live ones, or the ones a rebuild fills. */
export type TableNames = Readonly<Record<string, string>> & Readonly<{ suffix: string; generation: string }>;

/**
 * A read model: the tables it owns, how to create them, and how a batch of events changes them.
 * `apply` runs inside the transaction that also stores the checkpoint, and only ever sees events
 * after the checkpoint, so it may count and accumulate freely.
 */
export interface Projection {
  readonly name: string;
  readonly tables: readonly string[];
  readonly filter?: EventFilter;
  /** Creates the tables named in `t` (if missing), with the keys that `apply` relies on. */
  createTables(db: AnyDb, t: TableNames): Promise<void>;
  /**
   * Creates the secondary indexes that only queries need (if missing); index names must include
   * `t.generation`. A rebuild calls this after the bulk load, which is much faster than keeping
   * the indexes up to date row by row.
   */
  createIndexes?(db: AnyDb, t: TableNames): Promise<void>;
  apply(trx: AnyDb, events: readonly RecordedEvent[], t: TableNames): Promise<void>;
}

export const tableNames = (projection: Projection, suffix = '', generation = 'g0'): TableNames => {
  const names: Record<string, string> = {};
  for (const table of projection.tables) names[table] = `${table}${suffix}`;
  return { ...names, suffix, generation };
};
