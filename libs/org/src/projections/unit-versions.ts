import type { UnitStatus } from '../domain/unit.commands';

/** One row of `rm_unit_versions`: a unit as it stood over [valid_from, valid_to). Dates are yyyy-mm-dd. */
export type UnitVersion = {
  unit_id: string;
  valid_from: string;
  valid_to: string | null;
  name: string;
  level: string;
  parent_id: string | null;
  status: UnitStatus;
  merged_into: string | null;
  path: string;
};

const covers = (v: UnitVersion, date: string): boolean => v.valid_from <= date && (v.valid_to === null || date < v.valid_to);

/** The version valid on `date`, if any. */
export const versionAt = (versions: readonly UnitVersion[], date: string): UnitVersion | undefined =>
  versions.find((v) => covers(v, date));

/**
 * Cuts each version at every date strictly inside it; the pieces keep its content. Cutting never
 * removes a row: the first piece keeps the version's valid_from (its primary key) and gets an
 * earlier valid_to, so writing the pieces back is an upsert.
 */
export const cutAt = (versions: readonly UnitVersion[], dates: readonly string[]): UnitVersion[] => {
  const sorted = [...new Set(dates)].sort();
  return versions.flatMap((v) => {
    const inside = sorted.filter((d) => d > v.valid_from && (v.valid_to === null || d < v.valid_to));
    const starts = [v.valid_from, ...inside];
    return starts.map((from, i) => ({ ...v, valid_from: from, valid_to: i + 1 < starts.length ? starts[i + 1] : v.valid_to }));
  });
};

/**
 * A change that takes effect on `date` and holds for every later version: the version in force on
 * that date is cut there, and the pieces from that date on are patched. Later versions exist when an
 * ancestor's change dated later was recorded first.
 */
export const changeFrom = (
  versions: readonly UnitVersion[],
  date: string,
  patch: (v: UnitVersion) => UnitVersion,
): UnitVersion[] => cutAt(versions, [date]).map((v) => (v.valid_from >= date ? patch(v) : v));

/** The dates from `date` on at which a parent's path changes: where its descendants' versions must be cut. */
export const pathChanges = (parent: readonly UnitVersion[], date: string): string[] => {
  const sorted = [...parent].sort((a, b) => (a.valid_from < b.valid_from ? -1 : 1));
  return sorted.filter((v, i) => v.valid_from > date && v.path !== sorted[i - 1]?.path).map((v) => v.valid_from);
};

/**
 * The versions of a unit registered on `date` under a parent with `parent` versions: one version
 * from `date` on, cut wherever the parent's path changes later, so its path follows the parent's.
 */
export const registeredVersions = (
  unit: Omit<UnitVersion, 'valid_from' | 'valid_to' | 'path'>,
  date: string,
  parent: readonly UnitVersion[] | undefined,
  fallbackParentPath: string,
): UnitVersion[] => {
  const open: UnitVersion = { ...unit, valid_from: date, valid_to: null, path: '' };
  const cuts = parent ? pathChanges(parent, date) : [];
  return cutAt([open], cuts).map((v) => ({
    ...v,
    path: `${(parent && versionAt(parent, v.valid_from)?.path) ?? fallbackParentPath}${unit.unit_id}/`,
  }));
};

/**
 * Moves `unitId` under a parent with `parent` versions from `date` on. `subtree` holds the versions,
 * still in force on or after `date`, of the unit and of every unit whose path runs through it; each
 * is cut at `date` and where the new parent's path changes, and the pieces from `date` on get the
 * new parent's path in front of the part from `unitId` down.
 */
export const movedVersions = (
  unitId: string,
  toParentId: string,
  date: string,
  subtree: readonly UnitVersion[],
  parent: readonly UnitVersion[],
  fallbackParentPath: string,
): UnitVersion[] =>
  cutAt(subtree, [date, ...pathChanges(parent, date)]).map((v) => {
    if (v.valid_from < date) return v;
    const tail = v.path.slice(v.path.indexOf(`/${unitId}/`) + 1);
    const path = `${versionAt(parent, v.valid_from)?.path ?? fallbackParentPath}${tail}`;
    return { ...v, path, ...(v.unit_id === unitId && { parent_id: toParentId }) };
  });
