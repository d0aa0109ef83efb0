import { DEFAULT_LEVELS, findLevel, isLevelAllowedUnder, isLevelCodeAllowedUnder, topLevel } from './levels';

describe('levels', () => {
  it('are the six levels of the union, central at the top, with their Vietnamese names', () => {
    expect(DEFAULT_LEVELS.map((l) => [l.code, l.depth])).toEqual([
      ['central', 0],
      ['province', 1],
      ['district', 2],
      ['commune', 3],
      ['branch', 4],
      ['group', 5],
    ]);
    expect(findLevel(DEFAULT_LEVELS, 'branch')?.nameVi).toBe('Chi hội');
    expect(topLevel(DEFAULT_LEVELS)?.code).toBe('central');
  });

  it('let a unit hang under any level above its own, skipping levels, and under none at or below it', () => {
    expect(isLevelCodeAllowedUnder(DEFAULT_LEVELS, 'commune', 'province')).toBe(true);
    expect(isLevelCodeAllowedUnder(DEFAULT_LEVELS, 'branch', 'commune')).toBe(true);
    expect(isLevelCodeAllowedUnder(DEFAULT_LEVELS, 'commune', 'commune')).toBe(false);
    expect(isLevelCodeAllowedUnder(DEFAULT_LEVELS, 'province', 'district')).toBe(false);
    expect(isLevelCodeAllowedUnder(DEFAULT_LEVELS, 'commune', 'ward')).toBe(false);
  });

  it('are data: a list without the district level works the same way', () => {
    const after2025 = DEFAULT_LEVELS.filter((l) => l.code !== 'district');
    expect(isLevelCodeAllowedUnder(after2025, 'commune', 'district')).toBe(false);
    expect(isLevelAllowedUnder(after2025[2], after2025[1])).toBe(true);
    expect(topLevel([])).toBeUndefined();
  });
});
