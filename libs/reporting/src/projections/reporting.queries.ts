import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { TargetDefinition } from '@app/kernel';
import type { AnyDb } from '@app/readstore';
import type { ReportValues } from '../domain/report.events';
import { achievementLabel, type AchievementLabel, targetFigure, targetGoal } from './achievement';
import { ESCALATIONS_TABLE, type EscalationRow } from './escalations.projection';
import {
  OBLIGATION_SCOPE_TABLE,
  type ObligationRow,
  type ObligationStatus,
  OBLIGATIONS_TABLE,
  type OfficialStatus,
  officialStatus,
} from './obligation-status.projection';
import { PERIODS_TABLE, type PeriodRow } from './reporting-targets';
import {
  COUNT_COLUMNS,
  type Counts,
  PART_NAMES,
  ROLLUPS_TABLE,
  type RollupRow,
  type TargetAggregates,
  type TargetParts,
} from './rollup.projection';

/** Which values the figures count: approved ones only, or every report that is in. */
export type Include = 'approved' | 'submitted';

/** The counts as the API shows them (camelCase), with completeness = submitted / expected. */
export type CountsView = Readonly<{
  expected: number;
  submitted: number;
  onTime: number;
  late: number;
  approved: number;
  overdue: number;
  escalated: number;
  waived: number;
  completeness: number | null;
}>;
export type LevelStatus = CountsView & { level: string; targets: TargetAggregates };
export type NodeStatus = Readonly<{ unitId: string; levels: LevelStatus[]; total: CountsView; targets: TargetAggregates }>;

// awaiting_review serves list totals (totalFromRollups); the views leave it out.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const withCompleteness = ({ on_time, awaiting_review, ...counts }: Counts): CountsView => ({
  ...counts,
  onTime: on_time,
  completeness: counts.expected > 0 ? counts.submitted / counts.expected : null,
});

const countsOf = (row: RollupRow): Counts => {
  const counts = {} as Counts;
  for (const c of COUNT_COLUMNS) counts[c] = Number(row[c]);
  return counts;
};

const targetsOf = (row: RollupRow, include: Include): TargetAggregates =>
  JSON.parse(include === 'approved' ? row.approved_targets : row.submitted_targets) as TargetAggregates;

const sumAggregates = (all: readonly TargetAggregates[]): TargetAggregates => {
  const out: TargetAggregates = {};
  for (const aggregates of all) {
    for (const [targetId, parts] of Object.entries(aggregates)) {
      const into = (out[targetId] ??= {});
      for (const name of PART_NAMES) if (parts[name] !== undefined) into[name] = (into[name] ?? 0) + (parts[name] as number);
    }
  }
  return out;
};

const nodeStatus = (unitId: string, rows: readonly RollupRow[], include: Include): NodeStatus => {
  const counts = rows.map(countsOf);
  const levels = rows.map((row, i) => ({ level: row.level, ...withCompleteness(counts[i]), targets: targetsOf(row, include) }));
  const total = {} as Counts;
  for (const c of COUNT_COLUMNS) total[c] = counts.reduce((sum, l) => sum + l[c], 0);
  return { unitId, levels, total: withCompleteness(total), targets: sumAggregates(levels.map((l) => l.targets)) };
};

export type StatusQuery = Readonly<{ directiveId: string; unitId: string; period: string; include: Include; children: boolean }>;

/**
 * A directive's status at a node, by level of the reporting units: its own roll-up rows, one per
 * level, so the cost is O(levels) whatever the size of the subtree. With `children`, each child's
 * rows too, found by `parent_node_id` in one indexed query: O(children × levels).
 */
export type DirectiveStatus = NodeStatus &
  Readonly<{ directiveId: string; period: string; include: Include; children?: readonly NodeStatus[] }>;

export const directiveStatus = async (db: AnyDb, q: StatusQuery): Promise<DirectiveStatus> => {
  const rows = (await db
    .selectFrom(ROLLUPS_TABLE)
    .selectAll()
    .where('directive_id', '=', q.directiveId)
    .where('node_unit_id', '=', q.unitId)
    .where('period', '=', q.period)
    .orderBy('level')
    .execute()) as RollupRow[];
  const node = nodeStatus(q.unitId, rows, q.include);
  if (!q.children) return { directiveId: q.directiveId, period: q.period, include: q.include, ...node };
  const childRows = (await db
    .selectFrom(ROLLUPS_TABLE)
    .selectAll()
    .where('directive_id', '=', q.directiveId)
    .where('period', '=', q.period)
    .where('parent_node_id', '=', q.unitId)
    .orderBy('node_unit_id')
    .orderBy('level')
    .execute()) as RollupRow[];
  const byChild = new Map<string, RollupRow[]>();
  for (const row of childRows) byChild.set(row.node_unit_id, [...(byChild.get(row.node_unit_id) ?? []), row]);
  const children = [...byChild].map(([unitId, rows]) => nodeStatus(unitId, rows, q.include));
  return { directiveId: q.directiveId, period: q.period, include: q.include, ...node, children };
};

export type TargetAchievement = Readonly<{
  targetId: string;
  code: string;
  title: string;
  shape: TargetDefinition['shape'];
  unitOfMeasure: string | null;
  goal: number;
  figure: number | null;
  label: AchievementLabel;
  parts: TargetParts;
  byLevel: { level: string; figure: number | null; parts: TargetParts }[];
}>;

export type AchievementQuery = Readonly<{ directiveId: string; unitId: string; period: string; include: Include; at: Date }>;

/**
 * Each target's figure at a node against the target in force at the period's cut-off (milestones
 * apply), with its label (achievement.ts). Reads the period's row and the node's roll-up rows.
 */
export const targetAchievement = async (db: AnyDb, q: AchievementQuery) => {
  const period = (await db
    .selectFrom(PERIODS_TABLE)
    .selectAll()
    .where('directive_id', '=', q.directiveId)
    .where('period', '=', q.period)
    .executeTakeFirst()) as PeriodRow | undefined;
  const base = { directiveId: q.directiveId, unitId: q.unitId, period: q.period, include: q.include, at: q.at.toISOString() };
  if (!period) return { ...base, window: null, due: null, targets: [] as TargetAchievement[] };
  const rows = (await db
    .selectFrom(ROLLUPS_TABLE)
    .selectAll()
    .where('directive_id', '=', q.directiveId)
    .where('node_unit_id', '=', q.unitId)
    .where('period', '=', q.period)
    .orderBy('level')
    .execute()) as RollupRow[];
  const levels = rows.map((row) => ({ level: row.level, targets: targetsOf(row, q.include) }));
  const time = { windowFrom: period.window_from, due: period.due, at: q.at };
  const targets = (JSON.parse(period.targets) as TargetDefinition[]).map((target): TargetAchievement => {
    const byLevel = levels
      .filter((l) => l.targets[target.targetId])
      .map((l) => ({
        level: l.level,
        parts: l.targets[target.targetId],
        figure: targetFigure(target.shape, l.targets[target.targetId]),
      }));
    const parts = sumAggregates(byLevel.map((l) => ({ t: l.parts }))).t ?? {};
    const figure = targetFigure(target.shape, parts);
    const goal = targetGoal(target, period.window_to);
    return {
      targetId: target.targetId,
      code: target.code,
      title: target.title,
      shape: target.shape,
      unitOfMeasure: target.unitOfMeasure ?? null,
      goal,
      figure,
      label: achievementLabel(target.shape, figure, goal, time),
      parts,
      byLevel,
    };
  });
  return { ...base, window: { from: period.window_from, to: period.window_to }, due: period.due, targets };
};

export type ObligationView = Readonly<{
  directiveId: string;
  unitId: string;
  period: string;
  unitLevel: string | null;
  reviewerUnitId: string;
  window: { from: string; to: string };
  due: string;
  status: ObligationStatus;
  officialStatus: OfficialStatus | null;
  overdue: boolean;
  escalated: boolean;
  version: number;
  submittedAt: string | null;
  onTime: boolean | null;
  approvedAt: string | null;
  approvedVersion: number | null;
  returnedReason: string | null;
  values: ReportValues | null;
  approvedValues: ReportValues | null;
}>;

export const obligationView = (row: ObligationRow, now: Date): ObligationView => ({
  directiveId: row.directive_id,
  unitId: row.unit_id,
  period: row.period,
  unitLevel: row.unit_level,
  reviewerUnitId: row.reviewer_unit_id,
  window: { from: row.window_from, to: row.window_to },
  due: row.due,
  status: row.status,
  officialStatus: officialStatus(row, now),
  overdue: Boolean(row.overdue),
  escalated: Boolean(row.escalated),
  version: Number(row.version),
  submittedAt: row.submitted_at,
  onTime: row.on_time === null ? null : Boolean(row.on_time),
  approvedAt: row.approved_at,
  approvedVersion: row.approved_version === null ? null : Number(row.approved_version),
  returnedReason: row.returned_reason,
  values: row.current_values === null ? null : (JSON.parse(row.current_values) as ReportValues),
  approvedValues: row.approved_values === null ? null : (JSON.parse(row.approved_values) as ReportValues),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read-model tables are untyped (AnyDb)
type Eb = ExpressionBuilder<any, any>;

/** `officialStatus` (obligation-status.projection.ts) as SQL over the columns of `o` (an obligation row). */
export const officialStatusCondition = (eb: Eb, status: OfficialStatus, now: Date): Expression<SqlBool> => {
  const nowIso = now.toISOString();
  const reportIn = eb('o.status', 'in', ['submitted', 'approved']);
  const awaited = eb('o.status', 'in', ['pending', 'returned']);
  switch (status) {
    case 'completed_on_time':
      return eb.and([reportIn, eb('o.on_time', '=', 1)]);
    case 'completed_late':
      return eb.and([reportIn, eb('o.on_time', '=', 0)]);
    case 'overdue':
      return eb.and([awaited, eb.or([eb('o.overdue', '=', 1), eb('o.due', '<', nowIso)])]);
    case 'in_progress_within_deadline':
      return eb.and([awaited, eb('o.overdue', '=', 0), eb('o.due', '>=', nowIso)]);
  }
};

export type ObligationFilter = Readonly<{
  /** The root of the subtree: obligations of this unit and of every unit below it when they opened. */
  unitId: string;
  directiveId?: string;
  period?: string;
  status?: ObligationStatus;
  officialStatus?: OfficialStatus;
  now: Date;
  page: number;
  pageSize: number;
}>;

type TotalColumn = 'expected' | 'submitted' | 'on_time' | 'late' | 'overdue' | 'waived' | 'awaiting_review';
const TOTAL_COLUMNS: readonly TotalColumn[] = [
  'expected',
  'submitted',
  'on_time',
  'late',
  'overdue',
  'waived',
  'awaiting_review',
];

/**
 * How many obligations of a subtree a filter selects, summed from the node's roll-up rows (a few
 * per directive and period) instead of counted over the whole subtree, which at the root of a
 * 100,000-unit tree means joining every obligation; undefined when the roll-ups cannot say (a
 * status other than waived or submitted, or submitted with an official status). Past the due instant every report still awaited is overdue, and every
 * obligation of a directive's period has the period's due instant (rm_periods), so the official
 * statuses follow from the counts.
 */
const totalFromRollups = async (db: AnyDb, f: ObligationFilter): Promise<number | undefined> => {
  if (f.status !== undefined && f.status !== 'waived' && f.status !== 'submitted') return undefined;
  // A waived obligation has no official status.
  if (f.status === 'waived' && f.officialStatus) return 0;
  // Reports awaiting review by their official status: not in the roll-ups.
  if (f.status === 'submitted' && f.officialStatus) return undefined;
  let query = db
    .selectFrom(`${ROLLUPS_TABLE} as r`)
    .leftJoin(`${PERIODS_TABLE} as p`, (join) =>
      join.onRef('p.directive_id', '=', 'r.directive_id').onRef('p.period', '=', 'r.period'),
    )
    .select(['r.directive_id', 'r.period', 'p.due'])
    .select((eb) => TOTAL_COLUMNS.map((c) => eb.fn.sum(`r.${c}`).as(c)))
    .where('r.node_unit_id', '=', f.unitId);
  if (f.directiveId) query = query.where('r.directive_id', '=', f.directiveId);
  if (f.period) query = query.where('r.period', '=', f.period);
  const rows = (await query.groupBy(['r.directive_id', 'r.period', 'p.due']).execute()) as (Record<TotalColumn, unknown> & {
    due: string | null;
  })[];
  const now = f.now.toISOString();
  let total = 0;
  for (const row of rows) {
    if (row.due === null) return undefined;
    const n = (c: TotalColumn) => Number(row[c] ?? 0);
    const awaited = n('expected') - n('submitted');
    const pastDue = row.due < now;
    if (f.status === 'waived') total += n('waived');
    else if (f.status === 'submitted') total += n('awaiting_review');
    else if (f.officialStatus === undefined) total += n('expected') + n('waived');
    else if (f.officialStatus === 'completed_on_time') total += n('on_time');
    else if (f.officialStatus === 'completed_late') total += n('late');
    else if (f.officialStatus === 'overdue') total += pastDue ? awaited : n('overdue');
    else total += pastDue ? 0 : awaited - n('overdue');
  }
  return total;
};

/**
 * Obligations in a subtree (through the scope table, indexed by node), filtered and paged. The
 * total comes from the roll-ups when they can give it, and a page past the total is not read.
 */
export const listObligations = async (db: AnyDb, f: ObligationFilter) => {
  let query = db
    .selectFrom(`${OBLIGATION_SCOPE_TABLE} as s`)
    .innerJoin(`${OBLIGATIONS_TABLE} as o`, (join) =>
      join.onRef('o.directive_id', '=', 's.directive_id').onRef('o.period', '=', 's.period').onRef('o.unit_id', '=', 's.unit_id'),
    )
    .where('s.node_unit_id', '=', f.unitId);
  if (f.directiveId) query = query.where('s.directive_id', '=', f.directiveId);
  if (f.period) query = query.where('s.period', '=', f.period);
  if (f.status) query = query.where('o.status', '=', f.status);
  const official = f.officialStatus;
  if (official) query = query.where((eb) => officialStatusCondition(eb, official, f.now));
  const total =
    (await totalFromRollups(db, f)) ??
    Number(((await query.select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow()) as { total: unknown }).total);
  const offset = (f.page - 1) * f.pageSize;
  const rows =
    offset >= total
      ? []
      : ((await query
          .selectAll('o')
          .orderBy('s.directive_id')
          .orderBy('s.period')
          .orderBy('s.unit_id')
          .limit(f.pageSize)
          .offset(offset)
          .execute()) as ObligationRow[]);
  return { page: f.page, pageSize: f.pageSize, total, items: rows.map((row) => obligationView(row, f.now)) };
};

export type EscalationView = Readonly<{
  directiveId: string;
  unitId: string;
  period: string;
  step: number;
  toUnitId: string;
  raisedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}>;

const escalationView = (row: EscalationRow): EscalationView => ({
  directiveId: row.directive_id,
  unitId: row.unit_id,
  period: row.period,
  step: Number(row.step),
  toUnitId: row.to_unit_id,
  raisedAt: row.raised_at,
  resolvedAt: row.resolved_at,
  resolvedBy: row.resolved_by,
});

/** Escalations raised to a unit: the open ones, or all of them; newest first. */
export const escalationsTo = async (
  db: AnyDb,
  toUnitId: string,
  state: 'open' | 'all',
  limit = 200,
): Promise<EscalationView[]> => {
  let query = db.selectFrom(ESCALATIONS_TABLE).selectAll().where('to_unit_id', '=', toUnitId);
  if (state === 'open') query = query.where('resolved_at', 'is', null);
  const rows = (await query
    .orderBy('raised_at', 'desc')
    .orderBy('unit_id')
    .orderBy('step')
    .limit(limit)
    .execute()) as EscalationRow[];
  return rows.map(escalationView);
};

/** "My overdue subordinates": the reports a unit reviews that are still awaited past their due time. */
export const overdueSubordinates = async (
  db: AnyDb,
  reviewerUnitId: string,
  now: Date,
  limit = 200,
): Promise<ObligationView[]> => {
  const rows = (await db
    .selectFrom(`${OBLIGATIONS_TABLE} as o`)
    .selectAll()
    .where('o.reviewer_unit_id', '=', reviewerUnitId)
    .where((eb) => officialStatusCondition(eb, 'overdue', now))
    .orderBy('o.due')
    .orderBy('o.unit_id')
    .limit(limit)
    .execute()) as ObligationRow[];
  return rows.map((row) => obligationView(row, now));
};

/**
 * A unit's dashboard: what is assigned to it (its own obligations, latest due first), its
 * subtree's completeness per directive and period (its roll-up rows summed over levels), the
 * escalations raised to it and its overdue subordinates.
 */
export const unitDashboard = async (db: AnyDb, unitId: string, now: Date, limit = 100) => {
  const own = (await db
    .selectFrom(OBLIGATIONS_TABLE)
    .selectAll()
    .where('unit_id', '=', unitId)
    .orderBy('due', 'desc')
    .orderBy('directive_id')
    .limit(limit)
    .execute()) as ObligationRow[];
  const sums = COUNT_COLUMNS.map((c) => (eb: Eb) => eb.fn.sum(c).as(c));
  const subtree = (await db
    .selectFrom(ROLLUPS_TABLE)
    .select(['directive_id', 'period'])
    .select((eb) => sums.map((sum) => sum(eb)))
    .where('node_unit_id', '=', unitId)
    .groupBy(['directive_id', 'period'])
    .orderBy('period', 'desc')
    .orderBy('directive_id')
    .limit(limit)
    .execute()) as (Record<string, unknown> & { directive_id: string; period: string })[];
  return {
    unitId,
    assigned: own.map((row) => obligationView(row, now)),
    subtree: subtree.map((row) => {
      const counts = {} as Counts;
      for (const c of COUNT_COLUMNS) counts[c] = Number(row[c] ?? 0);
      return { directiveId: row.directive_id, period: row.period, ...withCompleteness(counts) };
    }),
    escalations: await escalationsTo(db, unitId, 'open', limit),
    overdueSubordinates: await overdueSubordinates(db, unitId, now, limit),
  };
};
