import { sql } from 'kysely';
import type { AnyDb } from '@app/readstore';

export type Row = Record<string, unknown>;

/** Bound parameters per statement: well below SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 16_000;

export const chunksOf = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

const rowsPerStatement = (rows: readonly Row[]): number => Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]).length));

export type OnConflict =
  | Readonly<{ keys: readonly string[]; action: 'nothing' }>
  /** Every column but the keys takes the new value. */
  | Readonly<{ keys: readonly string[]; action: 'replace' }>
  /** These columns add the new value to the stored one; the others keep what is stored. */
  | Readonly<{ keys: readonly string[]; action: 'increment'; columns: readonly string[] }>;

/** Inserts rows in chunked multi-row statements, resolving key conflicts as told. Keys must be unique within `rows`. */
export const upsertRows = async (trx: AnyDb, table: string, rows: readonly Row[], conflict: OnConflict): Promise<void> => {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).filter((c) => !conflict.keys.includes(c));
  for (const chunk of chunksOf(rows, rowsPerStatement(rows))) {
    await trx
      .insertInto(table)
      .values(chunk)
      .onConflict((oc) => {
        const target = oc.columns([...conflict.keys]);
        switch (conflict.action) {
          case 'nothing':
            return target.doNothing();
          case 'replace':
            return target.doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])));
          case 'increment':
            return target.doUpdateSet(
              Object.fromEntries(
                conflict.columns.map((c) => [c, sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`]),
              ),
            );
        }
      })
      .execute();
  }
};

/** Rows whose `column` is one of `values`, the other columns equal to `fixed`; in chunks. */
export const selectWhereIn = async <R extends Row>(
  trx: AnyDb,
  table: string,
  fixed: Readonly<Record<string, unknown>>,
  column: string,
  values: readonly unknown[],
): Promise<R[]> => {
  const out: R[] = [];
  for (const chunk of chunksOf(values, 1000)) {
    let query = trx.selectFrom(table).selectAll().where(column, 'in', chunk);
    for (const [key, value] of Object.entries(fixed)) query = query.where(key, '=', value);
    out.push(...((await query.execute()) as R[]));
  }
  return out;
};

/** Groups items by a string key, keeping first-seen order. */
export const groupBy = <T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
};
