import type { RecordedEvent } from '@app/eventstore';
import { assertNever } from '@app/kernel';
import type { AnyDb, TableNames } from '@app/readstore';
import type { ReportEvent, ReportingObligationOpened } from '../domain/report.events';
import { groupBy, selectWhereIn, upsertRows } from './sql-batches';

export const OBLIGATIONS_TABLE = 'rm_obligations';
/** One row per obligation and per unit whose subtree held it when it opened (itself and its ancestors). */
export const OBLIGATION_SCOPE_TABLE = 'rm_obligation_scope';

export const OBLIGATION_STATUSES = ['pending', 'submitted', 'returned', 'approved', 'waived'] as const;
export type ObligationStatus = (typeof OBLIGATION_STATUSES)[number];

/** Decision 42/2014/QĐ-TTg: hoàn thành đúng hạn, hoàn thành quá hạn, đang thực hiện trong hạn, quá hạn. */
export const OFFICIAL_STATUSES = ['completed_on_time', 'completed_late', 'in_progress_within_deadline', 'overdue'] as const;
export type OfficialStatus = (typeof OFFICIAL_STATUSES)[number];

/** Flags are 0/1 integers, so both dialects store and compare them alike. */
export type ObligationRow = {
  directive_id: string;
  unit_id: string;
  period: string;
  unit_level: string | null;
  /** JSON array, nearest first, as the tree stood when the obligation opened. */
  ancestors: string;
  reviewer_unit_id: string;
  window_from: string;
  window_to: string;
  /** UTC ISO instant, so that text comparison is time comparison. */
  due: string;
  approval_required: number;
  target_set_id: string;
  status: ObligationStatus;
  overdue: number;
  version: number;
  submitted_at: string | null;
  on_time: number | null;
  approved_at: string | null;
  approved_version: number | null;
  returned_reason: string | null;
  /** JSON ReportValues of the latest submission or correction. */
  current_values: string | null;
  /** JSON ReportValues of the latest approved version. */
  approved_values: string | null;
  open_escalations: number;
  escalated: number;
  opened_at: string;
  updated_at: string;
};

export type ObligationKey = Readonly<{ directiveId: string; unitId: string; period: string }>;

/** `report-<directiveId>_<unitId>_<period>` (reportStreamId); null for any other stream. */
export const obligationKeyOf = (streamId: string): ObligationKey | null => {
  if (!streamId.startsWith('report-')) return null;
  const [directiveId, unitId, period, extra] = streamId.slice('report-'.length).split('_');
  return directiveId && unitId && period && extra === undefined ? { directiveId, unitId, period } : null;
};

export const keyString = (k: ObligationKey): string => `${k.directiveId}\u0000${k.unitId}\u0000${k.period}`;

export const ancestorsOf = (row: Pick<ObligationRow, 'ancestors'>): string[] => JSON.parse(row.ancestors) as string[];

const openedRow = ({ data }: ReportingObligationOpened, targetSetId: string, at: string): ObligationRow => ({
  directive_id: data.directiveId,
  unit_id: data.unitId,
  period: data.period,
  unit_level: data.unitLevel ?? null,
  ancestors: JSON.stringify(data.ancestorUnitIds ?? []),
  reviewer_unit_id: data.reviewerUnitId,
  window_from: data.window.from,
  window_to: data.window.to,
  due: new Date(data.due).toISOString(),
  approval_required: data.approvalRequired ? 1 : 0,
  target_set_id: targetSetId,
  status: 'pending',
  overdue: 0,
  version: 0,
  submitted_at: null,
  on_time: null,
  approved_at: null,
  approved_version: null,
  returned_reason: null,
  current_values: null,
  approved_values: null,
  open_escalations: 0,
  escalated: 0,
  opened_at: at,
  updated_at: at,
});

/**
 * The obligation's row after one event of its stream. An event that changes nothing returns the
 * same row object, so the caller writes only rows that changed. `targetSetId` names the rules an
 * opening event carries (see reporting-targets.ts).
 */
export const evolveObligation = (
  row: ObligationRow | undefined,
  event: RecordedEvent,
  targetSetId: (opened: ReportingObligationOpened) => string,
): ObligationRow | undefined => {
  const e = { type: event.type, data: event.data } as ReportEvent;
  const at = event.metadata.occurredAt;
  if (e.type === 'ReportingObligationOpened') return row ?? openedRow(e, targetSetId(e), at);
  if (!row) return row;
  switch (e.type) {
    case 'ReportSubmitted':
      return {
        ...row,
        status: 'submitted',
        version: e.data.version,
        current_values: JSON.stringify(e.data.values),
        submitted_at: e.data.submittedAt,
        on_time: e.data.onTime ? 1 : 0,
        returned_reason: null,
        updated_at: at,
      };
    case 'ReportReturned':
      return { ...row, status: 'returned', returned_reason: e.data.reason, updated_at: at };
    case 'ReportApproved':
      return {
        ...row,
        status: 'approved',
        approved_values: row.current_values,
        approved_version: e.data.version,
        approved_at: at,
        updated_at: at,
      };
    case 'ReportCorrected':
      // As in the decider: the correction is submitted again; the approved values stay until it is approved.
      return {
        ...row,
        status: 'submitted',
        version: e.data.version,
        current_values: JSON.stringify(e.data.values),
        updated_at: at,
      };
    case 'ObligationWaived':
      return { ...row, status: 'waived', updated_at: at };
    case 'ReportOverdue':
      return row.overdue ? row : { ...row, overdue: 1, updated_at: at };
    case 'EscalationRaised':
      return { ...row, open_escalations: row.open_escalations + 1, escalated: 1, updated_at: at };
    case 'EscalationResolved': {
      const open = Math.max(0, row.open_escalations - 1);
      return { ...row, open_escalations: open, escalated: open > 0 ? 1 : 0, updated_at: at };
    }
    case 'ReminderIssued':
      return row;
    default:
      return assertNever(e);
  }
};

/** A report is in: submitted or approved (a returned one is not). */
export const isIn = (row: Pick<ObligationRow, 'status'>): boolean => row.status === 'submitted' || row.status === 'approved';

/**
 * The four official statuses. A report that is in is completed on time or late, by its latest
 * submission (a resubmission after a return is judged against the same due time). One still awaited
 * (pending or returned) is overdue once marked so or once `now` is past the due time, else in
 * progress within the deadline. A waived obligation has none (null).
 * reporting.queries.ts `officialStatusCondition` is the same rule in SQL.
 */
export const officialStatus = (
  row: Pick<ObligationRow, 'status' | 'on_time' | 'overdue' | 'due'>,
  now: Date,
): OfficialStatus | null => {
  switch (row.status) {
    case 'submitted':
    case 'approved':
      return row.on_time ? 'completed_on_time' : 'completed_late';
    case 'pending':
    case 'returned':
      return row.overdue || now.toISOString() > row.due ? 'overdue' : 'in_progress_within_deadline';
    case 'waived':
      return null;
    default:
      return assertNever(row.status);
  }
};

export const createObligationTables = async (db: AnyDb, t: TableNames): Promise<void> => {
  const table = t[OBLIGATIONS_TABLE];
  await db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('directive_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('unit_level', 'text')
    .addColumn('ancestors', 'text', (c) => c.notNull())
    .addColumn('reviewer_unit_id', 'text', (c) => c.notNull())
    .addColumn('window_from', 'text', (c) => c.notNull())
    .addColumn('window_to', 'text', (c) => c.notNull())
    .addColumn('due', 'text', (c) => c.notNull())
    .addColumn('approval_required', 'integer', (c) => c.notNull())
    .addColumn('target_set_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('overdue', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('on_time', 'integer')
    .addColumn('approved_at', 'text')
    .addColumn('approved_version', 'integer')
    .addColumn('returned_reason', 'text')
    .addColumn('current_values', 'text')
    .addColumn('approved_values', 'text')
    .addColumn('open_escalations', 'integer', (c) => c.notNull())
    .addColumn('escalated', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${table}_pk_${t.generation}`, ['directive_id', 'period', 'unit_id'])
    .execute();
  const scope = t[OBLIGATION_SCOPE_TABLE];
  await db.schema
    .createTable(scope)
    .ifNotExists()
    .addColumn('node_unit_id', 'text', (c) => c.notNull())
    .addColumn('directive_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${scope}_pk_${t.generation}`, ['node_unit_id', 'directive_id', 'period', 'unit_id'])
    .execute();
};

/** Indexes for queries only: a unit's own obligations, and the reports a unit reviews. */
export const createObligationIndexes = async (db: AnyDb, t: TableNames): Promise<void> => {
  const table = t[OBLIGATIONS_TABLE];
  await db.schema.createIndex(`${table}_unit_${t.generation}`).ifNotExists().on(table).columns(['unit_id', 'due']).execute();
  await db.schema
    .createIndex(`${table}_reviewer_${t.generation}`)
    .ifNotExists()
    .on(table)
    .columns(['reviewer_unit_id', 'status', 'overdue'])
    .execute();
};

/** The stored rows of these obligations. */
export const loadObligations = async (
  trx: AnyDb,
  t: TableNames,
  keys: readonly ObligationKey[],
): Promise<Map<string, ObligationRow>> => {
  const rows = new Map<string, ObligationRow>();
  for (const group of groupBy(keys, (k) => `${k.directiveId}\u0000${k.period}`).values()) {
    const { directiveId, period } = group[0];
    const found = await selectWhereIn<ObligationRow>(
      trx,
      t[OBLIGATIONS_TABLE],
      { directive_id: directiveId, period },
      'unit_id',
      group.map((k) => k.unitId),
    );
    for (const row of found) rows.set(keyString({ directiveId: row.directive_id, unitId: row.unit_id, period: row.period }), row);
  }
  return rows;
};

/** Writes changed rows; newly opened ones also get their scope rows. */
export const saveObligations = async (
  trx: AnyDb,
  t: TableNames,
  changed: readonly ObligationRow[],
  opened: readonly ObligationRow[],
): Promise<void> => {
  await upsertRows(trx, t[OBLIGATIONS_TABLE], changed, { keys: ['directive_id', 'period', 'unit_id'], action: 'replace' });
  const scope = opened.flatMap((row) =>
    [...new Set([row.unit_id, ...ancestorsOf(row)])].map((node) => ({
      node_unit_id: node,
      directive_id: row.directive_id,
      period: row.period,
      unit_id: row.unit_id,
    })),
  );
  await upsertRows(trx, t[OBLIGATION_SCOPE_TABLE], scope, {
    keys: ['node_unit_id', 'directive_id', 'period', 'unit_id'],
    action: 'nothing',
  });
};
