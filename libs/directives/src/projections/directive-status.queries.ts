import type { ExpressionBuilder } from 'kysely';
import { type Page, type PageRequest, UNITS_TABLE, currentPath, pathRange } from '@app/org';
import type { AnyDb } from '@app/readstore';
import {
  ASSIGNMENTS_TABLE,
  type AssignmentStatus,
  DIRECTIVES_TABLE,
  type DirectiveDoc,
  type DirectiveStatus,
  fromDbRow,
} from './directive-status.projection';

export type AssignmentTotals = Readonly<{
  assignees: number;
  acknowledged: number;
  notAcknowledged: number;
  implementing: number;
  notImplementing: number;
  completed: number;
  cancelled: number;
}>;

export type DirectiveView = Omit<DirectiveDoc, 'header'> & DirectiveDoc['header'] & Readonly<{ counts: AssignmentTotals }>;

export type DirectiveSummary = Readonly<{
  directiveId: string;
  number: string;
  kind: string;
  title: string;
  issuerUnitId: string;
  status: DirectiveStatus;
  documentDate: string;
  issuedAt: string | null;
}>;

export type AssignmentView = Readonly<{
  unitId: string;
  /** From the unit tree as it stands now; null while the unit tree has not caught up. */
  unitCode: string | null;
  unitName: string | null;
  unitLevel: string | null;
  status: AssignmentStatus;
  assignedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  implementingDirectiveId: string | null;
  implementingAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}>;

export type AssignmentFilter = PageRequest &
  Readonly<{
    status?: AssignmentStatus;
    /** No implementing directive recorded yet; without `status`, cancelled assignments are left out. */
    notImplemented?: boolean;
    /** Only assignees in this unit's subtree (the unit tree as it stands now). */
    under?: string;
  }>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read-model tables are not typed in Kysely
type Eb = ExpressionBuilder<any, any>;

const pageOf = ({ page = 1, pageSize = 100 }: PageRequest) => ({ page, pageSize, offset: (page - 1) * pageSize });

const emptyPage = <T>(request: PageRequest): Page<T> => {
  const { page, pageSize } = pageOf(request);
  return { items: [], total: 0, page, pageSize };
};

/** The directive document with its counters, or undefined. */
export const directiveById = async (db: AnyDb, directiveId: string): Promise<DirectiveView | undefined> => {
  const row = await db.selectFrom(DIRECTIVES_TABLE).selectAll().where('directive_id', '=', directiveId).executeTakeFirst();
  if (!row) return undefined;
  const { header, ...doc } = fromDbRow(row);
  const n = (column: string) => Number(row[column]);
  const live = n('assignee_count') - n('cancelled_count');
  return {
    ...doc,
    ...header,
    counts: {
      assignees: n('assignee_count'),
      acknowledged: n('acknowledged_count'),
      notAcknowledged: live - n('acknowledged_count'),
      implementing: n('implementing_count'),
      notImplementing: live - n('implementing_count'),
      completed: n('completed_count'),
      cancelled: n('cancelled_count'),
    },
  };
};

/** The directives that name this one as their basis, oldest document first; `under` keeps those issued in that subtree. */
export const childDirectives = async (
  db: AnyDb,
  directiveId: string,
  request: PageRequest & { under?: string } = {},
): Promise<Page<DirectiveSummary>> => {
  const { page, pageSize, offset } = pageOf(request);
  let query = db.selectFrom(`${DIRECTIVES_TABLE} as d`).where('d.basis_directive_id', '=', directiveId);
  if (request.under !== undefined) {
    const path = await currentPath(db, request.under);
    if (path === undefined) return emptyPage(request);
    const [low, high] = pathRange(path);
    query = query
      .innerJoin(`${UNITS_TABLE} as u`, 'u.unit_id', 'd.issuer_unit_id')
      .where('u.path', '>=', low)
      .where('u.path', '<', high);
  }
  const [rows, count] = await Promise.all([
    query
      .select([
        'd.directive_id',
        'd.number',
        'd.kind',
        'd.title',
        'd.issuer_unit_id',
        'd.status',
        'd.document_date',
        'd.issued_at',
      ])
      .orderBy('d.document_date')
      .orderBy('d.directive_id')
      .limit(pageSize)
      .offset(offset)
      .execute(),
    query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items = rows.map((r) => ({
    directiveId: String(r.directive_id),
    number: String(r.number),
    kind: String(r.kind),
    title: String(r.title),
    issuerUnitId: String(r.issuer_unit_id),
    status: r.status as DirectiveStatus,
    documentDate: String(r.document_date),
    issuedAt: (r.issued_at as string | null) ?? null,
  }));
  return { items, total: Number(count.n), page, pageSize };
};

/**
 * Where `under` reaches: the whole tree (it is the tree's only root, so every unit is below it),
 * the path range of its subtree, or nothing (no such unit).
 */
const reachOf = async (db: AnyDb, unitId: string): Promise<'whole tree' | readonly [string, string] | undefined> => {
  const unit = await db.selectFrom(UNITS_TABLE).select(['path', 'parent_id']).where('unit_id', '=', unitId).executeTakeFirst();
  if (!unit) return undefined;
  if (unit.parent_id === null) {
    const roots = await db
      .selectFrom(UNITS_TABLE)
      .select((eb) => eb.fn.countAll().as('n'))
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(roots.n) === 1) return 'whole tree';
  }
  return pathRange(String(unit.path));
};

/**
 * Over the whole tree, the directive's counters hold the totals of three filters, which would
 * otherwise count 100,000 rows of a national directive: every assignment, the cancelled ones, and
 * the live ones without an implementing directive. Undefined for the others.
 */
const totalFromCounters = async (db: AnyDb, directiveId: string, filter: AssignmentFilter): Promise<number | undefined> => {
  type Counters = Record<'assignee_count' | 'cancelled_count' | 'implementing_count', number>;
  let total: ((c: Counters) => number) | undefined;
  if (filter.status === undefined && !filter.notImplemented) total = (c) => c.assignee_count;
  else if (filter.status === undefined) total = (c) => c.assignee_count - c.cancelled_count - c.implementing_count;
  else if (filter.status === 'cancelled' && !filter.notImplemented) total = (c) => c.cancelled_count;
  if (!total) return undefined;
  const row = await db
    .selectFrom(DIRECTIVES_TABLE)
    .select(['assignee_count', 'cancelled_count', 'implementing_count'])
    .where('directive_id', '=', directiveId)
    .executeTakeFirst();
  if (!row) return undefined;
  return total({
    assignee_count: Number(row.assignee_count),
    cancelled_count: Number(row.cancelled_count),
    implementing_count: Number(row.implementing_count),
  });
};

/**
 * A directive's assignments by unit id: "who has not acknowledged", "who has not issued their own plan".
 * With `under`, the subtree's units are read first by their path range, and the assignments
 * between the least and the greatest of their ids: ordered by unit id with a limit, the planner
 * would otherwise walk the directive's assignments (100,000 for a national one) in id order until
 * it met the subtree's. Under the tree's only root there is nothing to filter: every assignment
 * counts, also one whose unit the tree has not caught up with yet.
 */
export const assignmentsOf = async (
  db: AnyDb,
  directiveId: string,
  filter: AssignmentFilter = {},
): Promise<Page<AssignmentView>> => {
  const { page, pageSize, offset } = pageOf(filter);
  const reach = filter.under === undefined ? 'whole tree' : await reachOf(db, filter.under);
  if (reach === undefined) return emptyPage(filter);
  let query =
    reach === 'whole tree'
      ? db.selectFrom(`${ASSIGNMENTS_TABLE} as a`).leftJoin(`${UNITS_TABLE} as u`, 'u.unit_id', 'a.unit_id')
      : db
          .with(
            (cte) => cte('u').materialized(),
            (w) =>
              w
                .selectFrom(UNITS_TABLE)
                .select(['unit_id', 'code', 'name', 'level'])
                .where('path', '>=', reach[0])
                .where('path', '<', reach[1]),
          )
          .selectFrom(`${ASSIGNMENTS_TABLE} as a`)
          .innerJoin('u', 'u.unit_id', 'a.unit_id')
          .where('a.unit_id', '>=', (eb: Eb) => eb.selectFrom('u').select((e: Eb) => e.fn.min('u.unit_id').as('low')))
          .where('a.unit_id', '<=', (eb: Eb) => eb.selectFrom('u').select((e: Eb) => e.fn.max('u.unit_id').as('high')));
  query = query.where('a.directive_id', '=', directiveId);
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.notImplemented) {
    query = query.where('a.implementing_directive_id', 'is', null);
    if (!filter.status) query = query.where('a.status', '<>', 'cancelled');
  }
  const total = async (): Promise<number> =>
    (reach === 'whole tree' ? await totalFromCounters(db, directiveId, filter) : undefined) ??
    Number((await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const [rows, count] = await Promise.all([
    query
      .selectAll('a')
      .select(['u.code as unit_code', 'u.name as unit_name', 'u.level as unit_level'])
      .orderBy('a.unit_id')
      .limit(pageSize)
      .offset(offset)
      .execute(),
    total(),
  ]);
  const items = rows.map((r): AssignmentView => ({
    unitId: String(r.unit_id),
    unitCode: r.unit_code ?? null,
    unitName: r.unit_name ?? null,
    unitLevel: r.unit_level ?? null,
    status: r.status,
    assignedAt: r.assigned_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    implementingDirectiveId: r.implementing_directive_id,
    implementingAt: r.implementing_at,
    completedAt: r.completed_at,
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
  }));
  return { items, total: count, page, pageSize };
};
