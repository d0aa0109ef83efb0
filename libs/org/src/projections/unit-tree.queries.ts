import type { ExpressionBuilder } from 'kysely';
import type { AnyDb } from '@app/readstore';
import type { UnitStatus } from '../domain/unit.commands';
import { UNIT_VERSIONS_TABLE, UNITS_TABLE, pathRange } from './unit-tree.projection';

/** Queries over the unit tree. With a date (yyyy-mm-dd) they read the versions valid that day; without one, the latest state. */

export type UnitRef = Readonly<{ unitId: string; code: string; name: string; level: string; status: UnitStatus }>;

export type UnitView = UnitRef &
  Readonly<{
    parentId: string | null;
    mergedInto: string | null;
    path: string;
    /** 0 for the root. */
    depth: number;
    /** The version shown: valid from this date … */
    validFrom: string;
    /** … until this one (exclusive); null while it still holds. */
    validTo: string | null;
  }>;

export type Page<T> = Readonly<{ items: T[]; total: number; page: number; pageSize: number }>;

export type UnitDetail = UnitView & Readonly<{ ancestors: UnitRef[]; children: Page<UnitRef> }>;

export type PageRequest = Readonly<{ page?: number; pageSize?: number }>;

const V = `${UNIT_VERSIONS_TABLE} as v`;
const U = `${UNITS_TABLE} as u`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read-model tables are not typed in Kysely
type Eb = ExpressionBuilder<any, any>;

const validOn = (date: string) => (eb: Eb) =>
  eb.and([eb('v.valid_from', '<=', date), eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', date)])]);

/** The units as they stood on `date` (versions joined to their code), or as they stand now. */
const from = (db: AnyDb, date: string | undefined) =>
  date === undefined ? db.selectFrom(U) : db.selectFrom(V).innerJoin(U, 'u.unit_id', 'v.unit_id').where(validOn(date));

const tableOf = (date: string | undefined): 'v' | 'u' => (date === undefined ? 'u' : 'v');

const viewColumns = (t: 'v' | 'u') =>
  [
    'u.unit_id',
    'u.code',
    `${t}.name`,
    `${t}.level`,
    `${t}.status`,
    `${t}.parent_id`,
    `${t}.merged_into`,
    `${t}.path`,
    `${t}.valid_from`,
    ...(t === 'v' ? ['v.valid_to'] : []),
  ] as const;

type Raw = Record<string, unknown>;

const refOf = (r: Raw): UnitRef => ({
  unitId: String(r.unit_id),
  code: String(r.code),
  name: String(r.name),
  level: String(r.level),
  status: r.status as UnitStatus,
});

const viewOf = (r: Raw): UnitView => {
  const path = String(r.path);
  return {
    ...refOf(r),
    parentId: (r.parent_id as string | null) ?? null,
    mergedInto: (r.merged_into as string | null) ?? null,
    path,
    depth: path.split('/').length - 3,
    validFrom: String(r.valid_from),
    validTo: (r.valid_to as string | null | undefined) ?? null,
  };
};

/** The ids of a path's units, root first: `/TW/LCI/LCI-BX/` → TW, LCI, LCI-BX. */
export const pathIds = (path: string): string[] => path.split('/').filter(Boolean);

const pageOf = ({ page = 1, pageSize = 100 }: PageRequest) => ({ page, pageSize, offset: (page - 1) * pageSize });

/** One unit as it stood on `date` (or now): undefined when it did not exist then. */
export const unitViewAt = async (db: AnyDb, unitId: string, date?: string): Promise<UnitView | undefined> => {
  const t = tableOf(date);
  const row = await from(db, date)
    .select([...viewColumns(t)])
    .where('u.unit_id', '=', unitId)
    .executeTakeFirst();
  return row ? viewOf(row) : undefined;
};

/** The direct children valid on `date` (or now), by code; merged and dissolved ones only when asked. */
export const childrenAt = async (
  db: AnyDb,
  unitId: string,
  date?: string,
  request: PageRequest & { includeInactive?: boolean } = {},
): Promise<Page<UnitRef>> => {
  const t = tableOf(date);
  const { page, pageSize, offset } = pageOf(request);
  let query = from(db, date).where(`${t}.parent_id`, '=', unitId);
  if (!request.includeInactive) query = query.where(`${t}.status`, '=', 'active');
  const [rows, count] = await Promise.all([
    query
      .select(['u.unit_id', 'u.code', `${t}.name`, `${t}.level`, `${t}.status`])
      .orderBy('u.code')
      .orderBy('u.unit_id')
      .limit(pageSize)
      .offset(offset)
      .execute(),
    query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(refOf), total: Number(count.n), page, pageSize };
};

/** The units named, as they stood on `date` (or now), in the order given. */
export const unitRefsAt = async (db: AnyDb, unitIds: readonly string[], date?: string): Promise<UnitRef[]> => {
  if (unitIds.length === 0) return [];
  const t = tableOf(date);
  const rows = await from(db, date)
    .select(['u.unit_id', 'u.code', `${t}.name`, `${t}.level`, `${t}.status`])
    .where('u.unit_id', 'in', [...unitIds])
    .execute();
  const byId = new Map(rows.map((r) => [String(r.unit_id), refOf(r)]));
  return unitIds.flatMap((id) => byId.get(id) ?? []);
};

/** A unit on `date` (or now) with its ancestors (root first, as they stood then) and its first page of active children. */
export const unitAt = async (
  db: AnyDb,
  unitId: string,
  date?: string,
  children: PageRequest = { pageSize: 500 },
): Promise<UnitDetail | undefined> => {
  const unit = await unitViewAt(db, unitId, date);
  if (!unit) return undefined;
  const [ancestors, page] = await Promise.all([
    unitRefsAt(db, pathIds(unit.path).slice(0, -1), date),
    childrenAt(db, unitId, date, children),
  ]);
  return { ...unit, ancestors, children: page };
};

/** Active units strictly below `unitId` on `date` (or now), in all and by level; undefined when the unit did not exist then. */
export const subtreeCount = async (
  db: AnyDb,
  unitId: string,
  date?: string,
): Promise<{ total: number; byLevel: Record<string, number> } | undefined> => {
  const unit = await unitViewAt(db, unitId, date);
  if (!unit) return undefined;
  const t = tableOf(date);
  const [low, high] = pathRange(unit.path);
  const rows = await from(db, date)
    .select([`${t}.level`, (eb) => eb.fn.countAll().as('n')])
    .where(`${t}.path`, '>', low)
    .where(`${t}.path`, '<', high)
    .where(`${t}.status`, '=', 'active')
    .groupBy(`${t}.level`)
    .execute();
  const byLevel = Object.fromEntries(rows.map((r) => [String(r.level), Number(r.n)]));
  return { total: Object.values(byLevel).reduce((a, b) => a + b, 0), byLevel };
};

/** The current path of a unit (for subtree filters in other read models), or undefined. */
export const currentPath = async (db: AnyDb, unitId: string): Promise<string | undefined> => {
  const row = await db.selectFrom(UNITS_TABLE).select('path').where('unit_id', '=', unitId).executeTakeFirst();
  return row ? String(row.path) : undefined;
};
