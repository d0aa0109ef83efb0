import type { ReportedValue } from '@app/kernel';
import type { AnyDb, TableNames } from '@app/readstore';
import type { ReportValues } from '../domain/report.events';
import { sql } from 'kysely';
import { ancestorsOf, isIn, OBLIGATION_SCOPE_TABLE, OBLIGATIONS_TABLE, type ObligationRow } from './obligation-status.projection';
import type { TargetRule } from './reporting-targets';
import { groupBy, selectWhereIn, upsertRows } from './sql-batches';

export const ROLLUPS_TABLE = 'rm_rollups';

/**
 * Per (directive, node, period, level of the reporting unit), over the node's subtree as it stood
 * when each obligation opened:
 * - expected: obligations opened and not waived; waived: those waived;
 * - submitted: reports in (submitted or approved; a returned one is not), split into on_time and late;
 * - approved: reports whose values count under include=approved (approved; or in, when the
 *   directive needs no approval);
 * - overdue: marked overdue and still awaited; escalated: with an open escalation;
 * - awaiting_review: reports whose status is submitted (a first submission, a resubmission or a
 *   correction, until approved or returned): the total of "awaiting review in a subtree".
 */
export const COUNT_COLUMNS = [
  'expected',
  'submitted',
  'on_time',
  'late',
  'approved',
  'overdue',
  'escalated',
  'waived',
  'awaiting_review',
] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number];
export type Counts = Record<CountColumn, number>;

/**
 * The additive parts of a target's aggregate, never a rate: n units with a value; sum of the
 * values (count_with_floor, absolute_total); meet, units at or above the floor or threshold
 * (count_with_floor, share_of_units); num and den, sums of numerators and denominators (rate);
 * done, deliverables done.
 */
export const PART_NAMES = ['n', 'sum', 'meet', 'num', 'den', 'done'] as const;
export type PartName = (typeof PART_NAMES)[number];
export type TargetParts = Partial<Record<PartName, number>>;
export type TargetAggregates = Record<string, TargetParts>;

export type RollupRow = Counts & {
  directive_id: string;
  node_unit_id: string;
  period: string;
  level: string;
  /** The node's parent as the first obligation that reached this row recorded it; null at the root. */
  parent_node_id: string | null;
  /** JSON TargetAggregates over the values of reports that are in. */
  submitted_targets: string;
  /** JSON TargetAggregates over the values that count under include=approved. */
  approved_targets: string;
};

export const UNKNOWN_LEVEL = 'unknown';

const zeroCounts = (): Counts => ({
  expected: 0,
  submitted: 0,
  on_time: 0,
  late: 0,
  approved: 0,
  overdue: 0,
  escalated: 0,
  waived: 0,
  awaiting_review: 0,
});

/** One unit's value as parts; null when the value is missing or not of the target's kind. */
export const partsOf = (rule: TargetRule, value: ReportedValue | undefined): TargetParts | null => {
  if (!value) return null;
  switch (rule.shape) {
    case 'count_with_floor':
      return value.kind === 'number' ? { n: 1, sum: value.value, meet: value.value >= rule.floor ? 1 : 0 } : null;
    case 'share_of_units':
      return value.kind === 'number' ? { n: 1, meet: value.value >= rule.threshold ? 1 : 0 } : null;
    case 'rate':
      return value.kind === 'ratio' ? { n: 1, num: value.numerator, den: value.denominator } : null;
    case 'absolute_total':
      return value.kind === 'number' ? { n: 1, sum: value.value } : null;
    case 'deliverable':
      return value.kind === 'done' ? { n: 1, done: value.done ? 1 : 0 } : null;
  }
};

const aggregate = (rules: readonly TargetRule[], json: string | null): TargetAggregates => {
  if (json === null) return {};
  const values = JSON.parse(json) as ReportValues;
  const out: TargetAggregates = {};
  for (const rule of rules) {
    const parts = partsOf(rule, values[rule.targetId]);
    if (parts) out[rule.targetId] = parts;
  }
  return out;
};

/** The values that count under include=approved: the latest approved ones, or, without approval, those in. */
export const acceptedValues = (row: ObligationRow): string | null =>
  isIn(row) ? (row.approval_required ? row.approved_values : row.current_values) : null;

export type Contribution = Readonly<{ counts: Counts; submitted: TargetAggregates; approved: TargetAggregates }>;

/** What one obligation adds to each row it rolls up into. */
export const contributionOf = (row: ObligationRow, rules: readonly TargetRule[]): Contribution => {
  const reportIn = isIn(row);
  const accepted = acceptedValues(row);
  const awaited = row.status === 'pending' || row.status === 'returned';
  return {
    counts: {
      expected: row.status === 'waived' ? 0 : 1,
      submitted: reportIn ? 1 : 0,
      on_time: reportIn && row.on_time ? 1 : 0,
      late: reportIn && !row.on_time ? 1 : 0,
      approved: accepted !== null ? 1 : 0,
      overdue: awaited && row.overdue ? 1 : 0,
      escalated: row.escalated ? 1 : 0,
      waived: row.status === 'waived' ? 1 : 0,
      awaiting_review: row.status === 'submitted' ? 1 : 0,
    },
    submitted: reportIn ? aggregate(rules, row.current_values) : {},
    approved: aggregate(rules, accepted),
  };
};

const addInto = (into: TargetAggregates, from: TargetAggregates, sign: 1 | -1): void => {
  for (const [targetId, parts] of Object.entries(from)) {
    const target = (into[targetId] ??= {});
    for (const name of PART_NAMES) if (parts[name] !== undefined) target[name] = (target[name] ?? 0) + sign * parts[name];
  }
};

const isZero = (aggregates: TargetAggregates): boolean =>
  Object.values(aggregates).every((parts) => PART_NAMES.every((name) => !parts[name]));

// Sums of decimals keep the same figures whatever the batches were: rounded to 1e-9 when stored.
const tidy = (x: number): number => Math.round(x * 1e9) / 1e9 || 0;

/**
 * Canonical JSON: targets and parts in a fixed order, and no target whose parts are all zero (no
 * unit counts towards it), so the same aggregates are the same text whatever the batches were.
 */
export const aggregatesJson = (aggregates: TargetAggregates): string => {
  const out: TargetAggregates = {};
  for (const targetId of Object.keys(aggregates).sort()) {
    const parts: TargetParts = {};
    for (const name of PART_NAMES) if (aggregates[targetId][name] !== undefined) parts[name] = tidy(aggregates[targetId][name]);
    if (PART_NAMES.some((name) => parts[name])) out[targetId] = parts;
  }
  return JSON.stringify(out);
};

type Delta = {
  key: Pick<RollupRow, 'directive_id' | 'node_unit_id' | 'period' | 'level' | 'parent_node_id'>;
  counts: Counts;
  submitted: TargetAggregates;
  approved: TargetAggregates;
};

/**
 * The roll-up changes of one batch: for each obligation that changed, its new contribution minus
 * its old one, added to its own row and each ancestor's row (about 6), accumulated in memory so
 * each touched row is written once.
 */
export class RollupChanges {
  private readonly deltas = new Map<string, Delta>();

  add(before: ObligationRow | undefined, after: ObligationRow, rules: readonly TargetRule[]): void {
    const plus = contributionOf(after, rules);
    const counts = { ...plus.counts };
    const submitted: TargetAggregates = {};
    const approved: TargetAggregates = {};
    addInto(submitted, plus.submitted, 1);
    addInto(approved, plus.approved, 1);
    if (before) {
      const minus = contributionOf(before, rules);
      for (const c of COUNT_COLUMNS) counts[c] -= minus.counts[c];
      addInto(submitted, minus.submitted, -1);
      addInto(approved, minus.approved, -1);
    }
    const targetsChanged = !isZero(submitted) || !isZero(approved);
    if (!targetsChanged && COUNT_COLUMNS.every((c) => counts[c] === 0)) return;
    const nodes = [...new Set([after.unit_id, ...ancestorsOf(after)])];
    const level = after.unit_level ?? UNKNOWN_LEVEL;
    nodes.forEach((node, i) => {
      const id = `${after.directive_id}\u0000${node}\u0000${after.period}\u0000${level}`;
      let delta = this.deltas.get(id);
      if (!delta) {
        const key = {
          directive_id: after.directive_id,
          node_unit_id: node,
          period: after.period,
          level,
          parent_node_id: nodes[i + 1] ?? null,
        };
        delta = { key, counts: zeroCounts(), submitted: {}, approved: {} };
        this.deltas.set(id, delta);
      }
      for (const c of COUNT_COLUMNS) delta.counts[c] += counts[c];
      if (targetsChanged) {
        addInto(delta.submitted, submitted, 1);
        addInto(delta.approved, approved, 1);
      }
    });
  }

  /**
   * Rows whose target aggregates move are read, merged and written back; rows whose counts alone
   * move (the fan-out of a new period) are written blind, as increments, in chunked upserts.
   */
  async save(trx: AnyDb, t: TableNames): Promise<void> {
    const table = t[ROLLUPS_TABLE];
    const countOnly: RollupRow[] = [];
    const merged: Delta[] = [];
    for (const delta of this.deltas.values()) {
      if (!isZero(delta.submitted) || !isZero(delta.approved)) merged.push(delta);
      else if (COUNT_COLUMNS.some((c) => delta.counts[c] !== 0))
        countOnly.push({ ...delta.key, ...delta.counts, submitted_targets: '{}', approved_targets: '{}' });
    }
    const keys = ['directive_id', 'node_unit_id', 'period', 'level'];
    await upsertRows(trx, table, countOnly, { keys, action: 'increment', columns: COUNT_COLUMNS });
    if (merged.length === 0) return;
    const stored = new Map<string, RollupRow>();
    for (const group of groupBy(merged, (d) => `${d.key.directive_id}\u0000${d.key.period}\u0000${d.key.level}`).values()) {
      const { directive_id, period, level } = group[0].key;
      const rows = await selectWhereIn<RollupRow>(
        trx,
        table,
        { directive_id, period, level },
        'node_unit_id',
        group.map((d) => d.key.node_unit_id),
      );
      for (const row of rows)
        stored.set(`${row.directive_id}\u0000${row.node_unit_id}\u0000${row.period}\u0000${row.level}`, row);
    }
    const rows = merged.map((delta): RollupRow => {
      const id = `${delta.key.directive_id}\u0000${delta.key.node_unit_id}\u0000${delta.key.period}\u0000${delta.key.level}`;
      const before = stored.get(id);
      const counts = zeroCounts();
      for (const c of COUNT_COLUMNS) counts[c] = Number(before?.[c] ?? 0) + delta.counts[c];
      const submitted = before ? (JSON.parse(before.submitted_targets) as TargetAggregates) : {};
      const approved = before ? (JSON.parse(before.approved_targets) as TargetAggregates) : {};
      addInto(submitted, delta.submitted, 1);
      addInto(approved, delta.approved, 1);
      return {
        ...delta.key,
        parent_node_id: before ? before.parent_node_id : delta.key.parent_node_id,
        ...counts,
        submitted_targets: aggregatesJson(submitted),
        approved_targets: aggregatesJson(approved),
      };
    });
    await upsertRows(trx, table, rows, { keys, action: 'replace' });
  }
}

export const createRollupTable = async (db: AnyDb, t: TableNames): Promise<void> => {
  const table = t[ROLLUPS_TABLE];
  let create = db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('directive_id', 'text', (c) => c.notNull())
    .addColumn('node_unit_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('parent_node_id', 'text');
  for (const column of COUNT_COLUMNS) create = create.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
  await create
    .addColumn('submitted_targets', 'text', (c) => c.notNull())
    .addColumn('approved_targets', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${table}_pk_${t.generation}`, ['directive_id', 'node_unit_id', 'period', 'level'])
    .execute();
  await addAwaitingReview(db, t);
};

/**
 * A read store made before `awaiting_review` existed gets the column, filled from the obligations
 * (their status and the subtrees that held them), in the transaction that prepares the tables.
 */
const addAwaitingReview = async (db: AnyDb, t: TableNames): Promise<void> => {
  const table = t[ROLLUPS_TABLE];
  const postgres = db
    .selectNoFrom([sql<number>`${1}`.as('probe')])
    .compile()
    .sql.includes('$1');
  const found = postgres
    ? await sql`SELECT 1 FROM information_schema.columns WHERE table_name = ${table} AND column_name = 'awaiting_review' AND table_schema = current_schema()`.execute(
        db,
      )
    : await sql`SELECT 1 FROM pragma_table_info(${table}) WHERE name = 'awaiting_review'`.execute(db);
  if (found.rows.length > 0) return;
  await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN awaiting_review integer NOT NULL DEFAULT 0`.execute(db);
  await sql`
    UPDATE ${sql.table(table)} SET awaiting_review = (
      SELECT count(*) FROM ${sql.table(t[OBLIGATION_SCOPE_TABLE])} s
      JOIN ${sql.table(t[OBLIGATIONS_TABLE])} o
        ON o.directive_id = s.directive_id AND o.period = s.period AND o.unit_id = s.unit_id
      WHERE s.node_unit_id = ${sql.table(table)}.node_unit_id
        AND s.directive_id = ${sql.table(table)}.directive_id
        AND s.period = ${sql.table(table)}.period
        AND COALESCE(o.unit_level, ${UNKNOWN_LEVEL}) = ${sql.table(table)}.level
        AND o.status = 'submitted'
    )`.execute(db);
};

/** Indexes for queries only: drill-down to a node's children, and a unit's dashboard. */
export const createRollupIndexes = async (db: AnyDb, t: TableNames): Promise<void> => {
  const table = t[ROLLUPS_TABLE];
  await db.schema
    .createIndex(`${table}_parent_${t.generation}`)
    .ifNotExists()
    .on(table)
    .columns(['directive_id', 'period', 'parent_node_id'])
    .execute();
  await db.schema
    .createIndex(`${table}_node_${t.generation}`)
    .ifNotExists()
    .on(table)
    .columns(['node_unit_id', 'period'])
    .execute();
};
