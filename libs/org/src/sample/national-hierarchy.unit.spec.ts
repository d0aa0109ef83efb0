import { DEFAULT_LEVELS } from '../domain/levels';
import { parseCsv } from '../domain/csv';
import { type PlannedUnit, planUnitImport } from '../domain/unit-import';
import { readLaoCaiSampleCsv } from './lao-cai-hierarchy';
import { PROVINCES_2025, generateNationalHierarchyCsv, nationalHierarchyCsvStream } from './national-hierarchy';

const planFresh = (csv: string): PlannedUnit[] => {
  const result = planUnitImport(csv, {
    existing: () => undefined,
    levels: DEFAULT_LEVELS,
    validFrom: '2025-07-01',
    newId: (c) => c,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 5)));
  return result.units;
};
const countByLevel = (units: readonly PlannedUnit[]) =>
  units.reduce<Record<string, number>>((counts, u) => ({ ...counts, [u.level]: (counts[u.level] ?? 0) + 1 }), {});

describe('national sample hierarchy', () => {
  it('lists the 34 provinces and cities of 2025 with 3,321 communes between them', () => {
    expect(PROVINCES_2025).toHaveLength(34);
    expect(new Set(PROVINCES_2025.map((p) => p.name)).size).toBe(34);
    expect(PROVINCES_2025.reduce((sum, p) => sum + p.communes, 0)).toBe(3_321);
    expect(PROVINCES_2025.map((p) => p.name)).toEqual(
      expect.arrayContaining(['Hà Nội', 'Huế', 'TP. Hồ Chí Minh', 'Lào Cai', 'An Giang']),
    );
  });

  it('generates 1 + 34 + 3,321 + 99,630 units by default that the import planner accepts: codes unique, every parent present', () => {
    const csv = generateNationalHierarchyCsv();
    const units = planFresh(csv);
    expect(units).toHaveLength(1 + 34 + 3_321 + 99_630);
    expect(countByLevel(units)).toEqual({ central: 1, province: 34, commune: 3_321, branch: 99_630 });
    const codes = new Set(units.map((u) => u.code));
    expect(codes.size).toBe(units.length);
    expect(units.filter((u) => u.parentId !== null && !codes.has(u.parentId))).toEqual([]);
    expect(units[0]).toMatchObject({ code: 'TW', name: 'Hội LHPN Việt Nam', parentId: null });
    expect(generateNationalHierarchyCsv()).toBe(csv);
  });

  it('takes the number of branches per commune, and streams the same text', async () => {
    const csv = generateNationalHierarchyCsv({ branchesPerCommune: 2 });
    expect(countByLevel(planFresh(csv))).toEqual({ central: 1, province: 34, commune: 3_321, branch: 6_642 });
    expect(csv.split('\n')[37]).toBe('HNI-001-01,"Chi hội số 1, xã số 1",branch,HNI-001');
    let streamed = '';
    for await (const chunk of nationalHierarchyCsvStream({ branchesPerCommune: 2 })) streamed += chunk;
    expect(streamed).toBe(csv);
    expect(() => generateNationalHierarchyCsv({ branchesPerCommune: -1 })).toThrow(RangeError);
  });
});

describe('Lào Cai sample hierarchy', () => {
  it('is a valid import: central, Lào Cai, three districts with three communes each', () => {
    const units = planFresh(readLaoCaiSampleCsv());
    expect(countByLevel(units)).toEqual({ central: 1, province: 1, district: 3, commune: 9 });
    expect(units.filter((u) => u.parentId === 'LCI').map((u) => u.name)).toEqual(['Thành phố Lào Cai', 'Bát Xát', 'Sa Pa']);
    expect(parseCsv(readLaoCaiSampleCsv(), { maxLineLength: 4096, maxLines: 100 }).problems).toEqual([]);
  });
});
