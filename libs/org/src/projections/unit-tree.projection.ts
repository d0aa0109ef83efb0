import { sql } from 'kysely';
import type { RecordedEvent } from '@app/eventstore';
import { assertNever } from '@app/kernel';
import type { AnyDb, Projection, TableNames } from '@app/readstore';
import type { UnitStatus } from '../domain/unit.commands';
import type { UnitEvent, UnitRegistered } from '../domain/unit.events';
import { UNIT_STREAM_CATEGORY } from '../unit.streams';
import { type UnitVersion, changeFrom, movedVersions, pathChanges, registeredVersions } from './unit-versions';

export const UNITS_TABLE = 'rm_units';
export const UNIT_VERSIONS_TABLE = 'rm_unit_versions';
export const UNIT_OFFICERS_TABLE = 'rm_unit_officers';

/** One row of `rm_units`: the unit as its latest recorded change left it. `path` is `/TW/LCI/LCI-BX/`. */
export type UnitRow = {
  unit_id: string;
  code: string;
  name: string;
  level: string;
  parent_id: string | null;
  status: UnitStatus;
  merged_into: string | null;
  path: string;
  /** 0 for the root: the number of ancestors. */
  depth: number;
  /** valid_from of the unit's latest version. */
  valid_from: string;
};

export type UnitOfficerRow = { unit_id: string; user_id: string; role: string; department: string | null; since: string };

export type { UnitVersion } from './unit-versions';

/** Rows per INSERT: under the bound-parameter limits of both dialects. */
const CHUNK = 500;

const chunks = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * The key range [low, high) of every path under `prefix` (which ends in `/`), for an index range
 * scan: ids hold only `A-Z a-z 0-9 . -`, and `0` is the character right after `/`.
 */
export const pathRange = (prefix: string): [string, string] => [prefix, `${prefix.slice(0, -1)}0`];

/** Paths compare byte by byte: PostgreSQL's locale collations would ignore the `/` and `-` of a range scan. */
const isPostgres = (db: AnyDb): boolean =>
  db
    .selectNoFrom([sql<number>`${1}`.as('probe')])
    .compile()
    .sql.includes('$1');

const laterOf = (date: string) => sql<string>`CASE WHEN valid_from < ${date} THEN ${date} ELSE valid_from END`;

const unitIdOf = (event: RecordedEvent): string => event.streamId.slice(UNIT_STREAM_CATEGORY.length + 1);

/** Applies one batch of unit events. Registrations in a row are written together; other changes one by one. */
class UnitTreeWriter {
  private pending: UnitRegistered['data'][] = [];

  constructor(
    private readonly db: AnyDb,
    private readonly t: TableNames,
  ) {}

  async apply(recorded: RecordedEvent): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as UnitEvent;
    if (event.type === 'UnitRegistered') {
      this.pending.push(event.data);
      return;
    }
    await this.flush();
    const unitId = unitIdOf(recorded);
    switch (event.type) {
      case 'UnitRenamed':
        return this.change(unitId, event.data.validFrom, { name: event.data.name });
      case 'UnitMerged':
        return this.change(unitId, event.data.validFrom, { status: 'merged', merged_into: event.data.intoUnitId });
      case 'UnitDissolved':
        return this.change(unitId, event.data.validFrom, { status: 'dissolved' });
      case 'UnitMoved':
        return this.move(unitId, event.data.toParentId, event.data.validFrom);
      case 'OfficerAppointed': {
        const { userId, role, department, validFrom } = event.data;
        const row: UnitOfficerRow = { unit_id: unitId, user_id: userId, role, department: department ?? null, since: validFrom };
        await this.db
          .insertInto(this.t[UNIT_OFFICERS_TABLE])
          .values(row)
          .onConflict((oc) =>
            oc.columns(['unit_id', 'user_id']).doUpdateSet({ role, department: row.department, since: validFrom }),
          )
          .execute();
        return;
      }
      case 'OfficerRelieved':
        await this.db
          .deleteFrom(this.t[UNIT_OFFICERS_TABLE])
          .where('unit_id', '=', unitId)
          .where('user_id', '=', event.data.userId)
          .execute();
        return;
      default:
        return assertNever(event);
    }
  }

  /** Writes the registrations collected so far: a 100,000-unit import costs a few hundred statements. */
  async flush(): Promise<void> {
    const registrations = this.pending;
    if (registrations.length === 0) return;
    this.pending = [];
    const ids = new Set(registrations.map((r) => r.unitId));
    const outside = [...new Set(registrations.flatMap((r) => (r.parentId && !ids.has(r.parentId) ? [r.parentId] : [])))];
    const earliest = registrations.reduce((min, r) => (r.validFrom < min ? r.validFrom : min), registrations[0].validFrom);
    const currents = await this.current(outside);
    const versions = await this.versionsFrom(outside, earliest);
    const written = new Map<string, { row: UnitRow; versions: UnitVersion[] }>();
    for (const { unitId, code, name, level, parentId, validFrom } of registrations) {
      const known = parentId ? written.get(parentId) : undefined;
      const parentRow = parentId ? (known?.row ?? currents.get(parentId)) : undefined;
      const parentVersions = parentId ? (known?.versions ?? versions.get(parentId)) : undefined;
      const parentPath = parentId ? (parentRow?.path ?? `/${parentId}/`) : '/';
      const base = { unit_id: unitId, name, level, parent_id: parentId, status: 'active' as const, merged_into: null };
      const own = registeredVersions(base, validFrom, parentVersions, parentPath);
      const row: UnitRow = {
        ...base,
        code,
        path: `${parentPath}${unitId}/`,
        depth: parentId ? (parentRow?.depth ?? 0) + 1 : 0,
        valid_from: own[own.length - 1].valid_from,
      };
      written.set(unitId, { row, versions: own });
    }
    const all = [...written.values()];
    for (const chunk of chunks(all.map((w) => w.row))) {
      await this.db
        .insertInto(this.t[UNITS_TABLE])
        .values(chunk)
        .onConflict((oc) => oc.column('unit_id').doNothing())
        .execute();
    }
    await this.upsertVersions(all.flatMap((w) => w.versions));
  }

  /** A rename, merge or dissolution: the version in force on `date` is cut there and the rest patched. */
  private async change(unitId: string, date: string, patch: Partial<UnitVersion>): Promise<void> {
    const versions = (await this.versionsFrom([unitId], date)).get(unitId) ?? [];
    await this.upsertVersions(changeFrom(versions, date, (v) => ({ ...v, ...patch })));
    await this.db
      .updateTable(this.t[UNITS_TABLE])
      .set({ ...patch, valid_from: laterOf(date) })
      .where('unit_id', '=', unitId)
      .execute();
  }

  /**
   * A move carries the whole subtree: its current rows get the new path prefix in one UPDATE, and
   * every version of it in force on or after `date` is cut there and re-pathed.
   */
  private async move(unitId: string, toParentId: string, date: string): Promise<void> {
    const currents = await this.current([unitId, toParentId]);
    const unit = currents.get(unitId);
    if (!unit) return;
    const parentPath = currents.get(toParentId)?.path ?? `/${toParentId}/`;
    const parentVersions = (await this.versionsFrom([toParentId], date)).get(toParentId) ?? [];
    const ownPaths = new Set(((await this.versionsFrom([unitId], date)).get(unitId) ?? []).map((v) => v.path));
    const subtree: UnitVersion[] = [];
    for (const prefix of ownPaths) {
      const [low, high] = pathRange(prefix);
      const rows = await this.db
        .selectFrom(this.t[UNIT_VERSIONS_TABLE])
        .selectAll()
        .where('path', '>=', low)
        .where('path', '<', high)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]))
        .execute();
      subtree.push(...(rows as UnitVersion[]));
    }
    await this.upsertVersions(movedVersions(unitId, toParentId, date, subtree, parentVersions, parentPath));

    const newPath = `${parentPath}${unitId}/`;
    const [low, high] = pathRange(unit.path);
    const lastCut = [date, ...pathChanges(parentVersions, date)].sort().pop() as string;
    await this.db
      .updateTable(this.t[UNITS_TABLE])
      .set({
        path: sql`cast(${newPath} as text) || substr(path, ${unit.path.length + 1})`,
        depth: sql`depth + ${newPath.split('/').length - unit.path.split('/').length}`,
        valid_from: laterOf(lastCut),
      })
      .where('path', '>=', low)
      .where('path', '<', high)
      .execute();
    await this.db.updateTable(this.t[UNITS_TABLE]).set({ parent_id: toParentId }).where('unit_id', '=', unitId).execute();
  }

  private async current(ids: readonly string[]): Promise<Map<string, UnitRow>> {
    const out = new Map<string, UnitRow>();
    for (const chunk of chunks(ids)) {
      const rows = await this.db.selectFrom(this.t[UNITS_TABLE]).selectAll().where('unit_id', 'in', chunk).execute();
      for (const row of rows as UnitRow[]) out.set(row.unit_id, { ...row, depth: Number(row.depth) });
    }
    return out;
  }

  /** Each unit's versions still in force on or after `date`, oldest first. */
  private async versionsFrom(ids: readonly string[], date: string): Promise<Map<string, UnitVersion[]>> {
    const out = new Map<string, UnitVersion[]>();
    for (const chunk of chunks(ids)) {
      const rows = await this.db
        .selectFrom(this.t[UNIT_VERSIONS_TABLE])
        .selectAll()
        .where('unit_id', 'in', chunk)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]))
        .orderBy('valid_from')
        .execute();
      for (const row of rows as UnitVersion[]) out.set(row.unit_id, [...(out.get(row.unit_id) ?? []), row]);
    }
    return out;
  }

  private async upsertVersions(versions: readonly UnitVersion[]): Promise<void> {
    for (const chunk of chunks(versions)) {
      await this.db
        .insertInto(this.t[UNIT_VERSIONS_TABLE])
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['unit_id', 'valid_from']).doUpdateSet((eb) => ({
            valid_to: eb.ref('excluded.valid_to'),
            name: eb.ref('excluded.name'),
            parent_id: eb.ref('excluded.parent_id'),
            status: eb.ref('excluded.status'),
            merged_into: eb.ref('excluded.merged_into'),
            path: eb.ref('excluded.path'),
          })),
        )
        .execute();
    }
  }
}

/**
 * The unit tree: each unit's current state with a materialised path (subtrees by path range), its
 * versions over time (the tree valid on any date), and its officers. Moves, merges and
 * dissolutions cut versions; no version is ever deleted.
 */
export const unitTreeProjection: Projection = {
  name: 'unit-tree',
  tables: [UNITS_TABLE, UNIT_VERSIONS_TABLE, UNIT_OFFICERS_TABLE],
  filter: { categories: [UNIT_STREAM_CATEGORY] },
  async createTables(db: AnyDb, t: TableNames) {
    const pathType = isPostgres(db) ? sql`text collate "C"` : 'text';
    const units = t[UNITS_TABLE];
    await db.schema
      .createTable(units)
      .ifNotExists()
      .addColumn('unit_id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('merged_into', 'text')
      .addColumn('path', pathType, (c) => c.notNull())
      .addColumn('depth', 'integer', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .execute();
    // Moves select subtrees by path range while projecting, so the path indexes come with the tables.
    await db.schema.createIndex(`${units}_path_${t.generation}`).ifNotExists().on(units).column('path').execute();

    const versions = t[UNIT_VERSIONS_TABLE];
    await db.schema
      .createTable(versions)
      .ifNotExists()
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_to', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('merged_into', 'text')
      .addColumn('path', pathType, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${versions}_pk_${t.generation}`, ['unit_id', 'valid_from'])
      .execute();
    await db.schema
      .createIndex(`${versions}_path_${t.generation}`)
      .ifNotExists()
      .on(versions)
      .columns(['path', 'valid_from'])
      .execute();

    const officers = t[UNIT_OFFICERS_TABLE];
    await db.schema
      .createTable(officers)
      .ifNotExists()
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('department', 'text')
      .addColumn('since', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${officers}_pk_${t.generation}`, ['unit_id', 'user_id'])
      .execute();
  },
  async createIndexes(db: AnyDb, t: TableNames) {
    const units = t[UNITS_TABLE];
    const versions = t[UNIT_VERSIONS_TABLE];
    await db.schema
      .createIndex(`${units}_parent_${t.generation}`)
      .ifNotExists()
      .on(units)
      .columns(['parent_id', 'code'])
      .execute();
    await db.schema
      .createIndex(`${versions}_parent_${t.generation}`)
      .ifNotExists()
      .on(versions)
      .columns(['parent_id', 'valid_from'])
      .execute();
  },
  async apply(trx: AnyDb, events: readonly RecordedEvent[], t: TableNames) {
    const writer = new UnitTreeWriter(trx, t);
    for (const event of events) if (event.streamId.startsWith(`${UNIT_STREAM_CATEGORY}-`)) await writer.apply(event);
    await writer.flush();
  },
};
