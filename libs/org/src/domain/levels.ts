/**
 * Levels of the hierarchy are data, not an enum: the district level existed until July 2025 and
 * another reform may add or drop one. A unit may hang under any level above its own, so a branch
 * may sit directly under a commune and (since 2025) a commune directly under a province.
 */
export type LevelDefinition = Readonly<{
  /** Stable code used in events and CSV files, e.g. `commune`. */
  code: string;
  name: string;
  nameVi: string;
  /** 0 at the top; a child's depth is always greater than its parent's. */
  depth: number;
}>;

export const DEFAULT_LEVELS: readonly LevelDefinition[] = [
  { code: 'central', name: 'Central', nameVi: 'Trung ương', depth: 0 },
  { code: 'province', name: 'Province or city', nameVi: 'Tỉnh, thành phố', depth: 1 },
  { code: 'district', name: 'District', nameVi: 'Huyện, thị xã, thành phố thuộc tỉnh', depth: 2 },
  { code: 'commune', name: 'Commune (grassroots)', nameVi: 'Cơ sở (xã, phường, thị trấn)', depth: 3 },
  { code: 'branch', name: 'Branch', nameVi: 'Chi hội', depth: 4 },
  { code: 'group', name: 'Group', nameVi: 'Tổ hội', depth: 5 },
];

export const findLevel = (levels: readonly LevelDefinition[], code: string): LevelDefinition | undefined =>
  levels.find((level) => level.code === code);

/** The level with the smallest depth: the only one whose units may stand without a parent. */
export const topLevel = (levels: readonly LevelDefinition[]): LevelDefinition | undefined =>
  levels.reduce<LevelDefinition | undefined>(
    (top, level) => (top === undefined || level.depth < top.depth ? level : top),
    undefined,
  );

export const isLevelAllowedUnder = (child: LevelDefinition, parent: LevelDefinition): boolean => child.depth > parent.depth;

/** The same check by codes; false when either code is not in `levels`. */
export const isLevelCodeAllowedUnder = (levels: readonly LevelDefinition[], childCode: string, parentCode: string): boolean => {
  const child = findLevel(levels, childCode);
  const parent = findLevel(levels, parentCode);
  return child !== undefined && parent !== undefined && isLevelAllowedUnder(child, parent);
};
