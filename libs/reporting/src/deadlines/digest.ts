import { DIRECTIVES_TABLE } from '@app/directives';
import type { AnyDb } from '@app/readstore';
import { ROLLUPS_TABLE } from '../projections/rollup.projection';

export const DIGEST_DUE_SOON_DAYS = 7;
const MAX_ITEMS = 50;

export type DigestItem = Readonly<{
  directiveId: string;
  number: string;
  title: string;
  period: string;
  /** ISO instant; null for a period the directive does not list (opened before periods were recorded). */
  due: string | null;
  expected: number;
  /** Reports still awaited in the subtree (neither in nor waived). */
  awaited: number;
  /** Awaited past the due date. */
  overdue: number;
  /** With an open escalation. */
  escalated: number;
}>;

export type UnitDigest = Readonly<{
  unitId: string;
  at: string;
  dueSoonDays: number;
  /** Periods with reports awaited in the subtree that fall due within `dueSoonDays`, or are overdue. */
  items: DigestItem[];
  totals: Readonly<{ dueSoon: number; overdue: number; escalated: number }>;
}>;

export type DirectiveHead = { number: string; title: string; dues: Map<string, string> };

/**
 * Number, title and the due instant of each opened period, for the directives named, added to
 * `heads`: one query for those not in it yet. A digest run passes one map for all its units, so a
 * directive is read once per run, not once per unit.
 */
export const directiveHeads = async (
  db: AnyDb,
  directiveIds: readonly string[],
  heads = new Map<string, DirectiveHead>(),
): Promise<Map<string, DirectiveHead>> => {
  const missing = directiveIds.filter((id) => !heads.has(id));
  if (missing.length === 0) return heads;
  const rows = (await db
    .selectFrom(DIRECTIVES_TABLE)
    .select(['directive_id', 'number', 'title', 'header'])
    .where('directive_id', 'in', missing)
    .execute()) as { directive_id: string; number: string; title: string; header: string }[];
  for (const row of rows) {
    const periods = (JSON.parse(row.header) as { periods?: { period: string; due: string }[] }).periods ?? [];
    heads.set(row.directive_id, { number: row.number, title: row.title, dues: new Map(periods.map((p) => [p.period, p.due])) });
  }
  return heads;
};

/**
 * One unit's daily summary over its whole subtree (like DHIS2's collective summary): for each
 * directive and period with reports still awaited, how many, how many overdue, how many escalated,
 * when due. Read from the unit's roll-up rows, so its cost is O(its periods), whatever the subtree.
 */
export const unitDigest = async (
  db: AnyDb,
  unitId: string,
  now: Date,
  dueSoonDays = DIGEST_DUE_SOON_DAYS,
  heads?: Map<string, DirectiveHead>,
): Promise<UnitDigest> => {
  const rows = (await db
    .selectFrom(ROLLUPS_TABLE)
    .select(['directive_id', 'period'])
    .select((eb) => [
      eb.fn.sum('expected').as('expected'),
      eb.fn.sum('submitted').as('submitted'),
      eb.fn.sum('waived').as('waived'),
      eb.fn.sum('overdue').as('overdue'),
      eb.fn.sum('escalated').as('escalated'),
    ])
    .where('node_unit_id', '=', unitId)
    .groupBy(['directive_id', 'period'])
    .execute()) as Array<{ directive_id: string; period: string } & Record<string, unknown>>;
  const known = await directiveHeads(db, [...new Set(rows.map((r) => r.directive_id))], heads);
  const horizon = now.getTime() + dueSoonDays * 24 * 3600 * 1000;
  const items: DigestItem[] = [];
  for (const row of rows) {
    const expected = Number(row.expected ?? 0);
    const awaited = expected - Number(row.submitted ?? 0) - Number(row.waived ?? 0);
    const overdue = Number(row.overdue ?? 0);
    const escalated = Number(row.escalated ?? 0);
    if (awaited <= 0 && overdue === 0 && escalated === 0) continue;
    const head = known.get(row.directive_id);
    const due = head?.dues.get(row.period) ?? null;
    const dueSoon = due !== null && Date.parse(due) <= horizon;
    if (!dueSoon && overdue === 0 && escalated === 0) continue;
    items.push({
      directiveId: row.directive_id,
      number: head?.number ?? row.directive_id,
      title: head?.title ?? '',
      period: row.period,
      due,
      expected,
      awaited,
      overdue,
      escalated,
    });
  }
  items.sort((a, b) => (a.due ?? '').localeCompare(b.due ?? '') || a.directiveId.localeCompare(b.directiveId));
  const dueSoon = items.filter((i) => i.due !== null && Date.parse(i.due) >= now.getTime()).reduce((n, i) => n + i.awaited, 0);
  return {
    unitId,
    at: now.toISOString(),
    dueSoonDays,
    items: items.slice(0, MAX_ITEMS),
    totals: {
      dueSoon,
      overdue: items.reduce((n, i) => n + i.overdue, 0),
      escalated: items.reduce((n, i) => n + i.escalated, 0),
    },
  };
};

/** The nodes whose subtree has any report still awaited, in id order after `afterUnitId`: who gets a digest. */
export const digestRecipients = async (db: AnyDb, afterUnitId: string, limit: number): Promise<string[]> => {
  const rows = (await db
    .selectFrom(ROLLUPS_TABLE)
    .select('node_unit_id')
    .where('node_unit_id', '>', afterUnitId)
    .where((eb) => eb(eb('expected', '-', eb('submitted', '+', eb.ref('waived'))), '>', 0))
    .groupBy('node_unit_id')
    .orderBy('node_unit_id')
    .limit(limit)
    .execute()) as { node_unit_id: string }[];
  return rows.map((r) => r.node_unit_id);
};
