import { DEFAULT_LEVELS } from './levels';
import type { UnitSummary } from './unit.commands';
import { type UnitImportContext, type UnitImportPlan, planUnitImport } from './unit-import';

const registered = new Map<string, UnitSummary>([
  ['TW', { unitId: 'u-tw', level: 'central', status: 'active' }],
  ['LCI', { unitId: 'u-lci', level: 'province', status: 'active' }],
  ['YBI', { unitId: 'u-ybi', level: 'province', status: 'merged' }],
]);
const context: UnitImportContext = {
  existing: (code) => registered.get(code),
  levels: DEFAULT_LEVELS,
  validFrom: '2025-07-01',
  newId: (code) => `u-${code.toLowerCase()}`,
};
const HEADER = 'code,name,level,parent_code';
const planLines = (lines: readonly string[]) => planUnitImport(`${HEADER}\n${lines.join('\n')}`, context);
const plan = (...lines: string[]) => planLines(lines);
const errorsOf = (result: UnitImportPlan) => (result.ok ? [] : result.errors.map((e) => [e.line, e.reason, e.code]));

describe('planUnitImport', () => {
  it('plans every unit, parents before children, linking to units in the file and to registered ones', () => {
    const result = planUnitImport(
      [
        '\uFEFFname,code,parent_code,level',
        '"Xã Bản Qua, Bát Xát",LCI-BX-01,LCI-BX,commune',
        'Bát Xát,LCI-BX,LCI,district',
        '"Chi hội thôn ""Làng Mới""",LCI-BX-01-01,LCI-BX-01,branch',
        '',
      ].join('\r\n'),
      context,
    );
    expect(result).toEqual({
      ok: true,
      units: [
        { unitId: 'u-lci-bx', code: 'LCI-BX', name: 'Bát Xát', level: 'district', parentId: 'u-lci', validFrom: '2025-07-01' },
        {
          unitId: 'u-lci-bx-01',
          code: 'LCI-BX-01',
          name: 'Xã Bản Qua, Bát Xát',
          level: 'commune',
          parentId: 'u-lci-bx',
          validFrom: '2025-07-01',
        },
        {
          unitId: 'u-lci-bx-01-01',
          code: 'LCI-BX-01-01',
          name: 'Chi hội thôn "Làng Mới"',
          level: 'branch',
          parentId: 'u-lci-bx-01',
          validFrom: '2025-07-01',
        },
      ],
    });
  });

  it('plans a root at the top level, and nothing for a file with only the header', () => {
    const result = planUnitImport(`${HEADER}\nTW2,Trung ương 2,central,\n`, { ...context, existing: () => undefined });
    expect(result).toEqual({
      ok: true,
      units: [{ unitId: 'u-tw2', code: 'TW2', name: 'Trung ương 2', level: 'central', parentId: null, validFrom: '2025-07-01' }],
    });
    expect(plan()).toEqual({ ok: true, units: [] });
  });

  it('refuses the whole file, naming each bad line and why', () => {
    const result = plan(
      'LCI-SP,Sa Pa,district,LCI', // 2: fine
      'LCI-SP-01,Phường Cầu Mây,commune', // 3: three columns
      ',Không mã,commune,LCI-SP', // 4: no code
      'LCI-SP-02,,commune,LCI-SP', // 5: no name
      'LCI-SP-03,Tả Van,ward,LCI-SP', // 6: unknown level
      'LCI-SP,Sa Pa again,district,LCI', // 7: duplicate in the file
      'LCI,Lào Cai,province,TW', // 8: already registered
      'LCI-XX-01,Xã lạc,commune,LCI-XX', // 9: parent nowhere
      'YBI-01,Xã Yên Bái,commune,YBI', // 10: parent merged
      'LCI-SP-04,Bản Hồ,district,LCI-SP', // 11: district under district
      'LCI-TP,TP Lào Cai,district,TW-X', // 12: parent nowhere
      'A,Vòng A,commune,B', // 13: cycle
      'B,Vòng B,commune,A', // 14: cycle
      'C,Tự vòng,commune,C', // 15: its own parent
      'HN2,Hà Nội 2,province,', // 16: a root below the top level
      'LCI-SP-05,Xã,province,LCI', // 17: province under province (registered parent)
    );
    expect(errorsOf(result)).toEqual([
      [3, 'UNIT_IMPORT.COLUMN_COUNT', undefined],
      [4, 'UNIT_IMPORT.EMPTY_CODE', undefined],
      [5, 'UNIT_IMPORT.EMPTY_NAME', 'LCI-SP-02'],
      [6, 'UNIT_IMPORT.UNKNOWN_LEVEL', 'LCI-SP-03'],
      [7, 'UNIT_IMPORT.DUPLICATE_CODE', 'LCI-SP'],
      [8, 'UNIT_IMPORT.CODE_EXISTS', 'LCI'],
      [9, 'UNIT_IMPORT.UNKNOWN_PARENT', 'LCI-XX-01'],
      [10, 'UNIT_IMPORT.PARENT_INACTIVE', 'YBI-01'],
      [11, 'UNIT_IMPORT.LEVEL_NOT_BELOW_PARENT', 'LCI-SP-04'],
      [12, 'UNIT_IMPORT.UNKNOWN_PARENT', 'LCI-TP'],
      [13, 'UNIT_IMPORT.CYCLE', 'A'],
      [14, 'UNIT_IMPORT.CYCLE', 'B'],
      [15, 'UNIT_IMPORT.CYCLE', 'C'],
      [16, 'UNIT_IMPORT.ROOT_NOT_TOP_LEVEL', 'HN2'],
      [17, 'UNIT_IMPORT.LEVEL_NOT_BELOW_PARENT', 'LCI-SP-05'],
    ]);
    expect(result.ok || result.errors.find((e) => e.line === 13)?.message).toBe('The parents go round in a circle: A → B → A');
    expect(result.ok || result.errors.find((e) => e.line === 7)?.message).toBe('The code LCI-SP is already used on line 2');
  });

  it('counts lines from the header, across quoted line breaks and blank lines', () => {
    expect(errorsOf(plan('', 'X1,"Tên\nhai dòng",commune,LCI', 'X2,,commune,LCI'))).toEqual([
      [5, 'UNIT_IMPORT.EMPTY_NAME', 'X2'],
    ]);
  });

  it('refuses a wrong header, an empty file and broken quoting', () => {
    expect(errorsOf(planUnitImport('code,name,level\nLCI-1,X,commune', context))).toEqual([[1, 'UNIT_IMPORT.HEADER', undefined]]);
    expect(errorsOf(planUnitImport('\uFEFF\r\n', context))).toEqual([[1, 'UNIT_IMPORT.HEADER', undefined]]);
    expect(errorsOf(plan('X1,"Xã ""A"" B,commune,LCI'))).toEqual([[2, 'UNIT_IMPORT.UNCLOSED_QUOTE', undefined]]);
    expect(errorsOf(plan('X1,Xã "A",commune,LCI'))[0]).toEqual([2, 'UNIT_IMPORT.STRAY_QUOTE', undefined]);
  });

  it('refuses lines longer than 4,096 characters and files of more than 200,000 data lines', () => {
    const result = plan('X1,Xã,commune,LCI', `X2,${'x'.repeat(4_100)},commune,LCI`);
    expect(result.ok || result.errors).toEqual([
      { line: 3, reason: 'UNIT_IMPORT.LINE_TOO_LONG', message: 'Line is 4115 characters long; at most 4096 are allowed' },
    ]);
    const huge = planLines(Array.from({ length: 200_001 }, (_, i) => `B${i},Chi hội,branch,LCI-BX`));
    expect(huge.ok || huge.errors).toEqual([
      { line: 200_002, reason: 'UNIT_IMPORT.TOO_MANY_LINES', message: 'The file has more than 200000 data lines; split it' },
    ]);
    expect(planLines(Array.from({ length: 200_000 }, (_, i) => `B${i},Chi hội,commune,LCI`)).ok).toBe(true);
  });

  it('refuses a context date that is not yyyy-mm-dd', () => {
    expect(() => planUnitImport(HEADER, { ...context, validFrom: '01/07/2025' })).toThrow(
      expect.objectContaining({ code: 'UNIT.VALIDATION_FAILED' }),
    );
  });

  it('plans 100,000 lines listed children first, with every parent placed before its children', () => {
    // 1 central, 34 provinces, 3,321 communes, 96,644 branches; written deepest first.
    const lines = ['TW9,Trung ương,central,'];
    for (let p = 0; p < 34; p++) lines.push(`P${p},Tỉnh ${p},province,TW9`);
    for (let c = 0; c < 3_321; c++) lines.push(`C${c},"Xã ${c}, tỉnh ${c % 34}",commune,P${c % 34}`);
    for (let b = 0; b < 96_644; b++) lines.push(`B${b},Chi hội ${b},branch,C${b % 3_321}`);
    lines.reverse();
    const result = planUnitImport([HEADER, ...lines].join('\n'), { ...context, existing: () => undefined });
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 5)));
    expect(result.units).toHaveLength(100_000);
    const placed = new Set<string>();
    const beforeParent = result.units.filter((unit) => {
      const misplaced = unit.parentId !== null && !placed.has(unit.parentId);
      placed.add(unit.unitId);
      return misplaced;
    });
    expect(beforeParent).toEqual([]);
    expect(result.units[0]).toEqual({
      unitId: 'u-tw9',
      code: 'TW9',
      name: 'Trung ương',
      level: 'central',
      parentId: null,
      validFrom: '2025-07-01',
    });
    expect(result.units.find((u) => u.code === 'C40')).toMatchObject({ name: 'Xã 40, tỉnh 6', parentId: 'u-p6' });
  });
});
