import { type CsvProblemKind, parseCsv } from './csv';
import { type LevelDefinition, topLevel } from './levels';
import type { UnitSummary } from './unit.commands';
import { unitErrors } from './unit.errors';
import type { UnitRegistered } from './unit.events';
import { cleanText, dateProblems } from './validation';

/**
 * Plans a bulk import of units from CSV (`code,name,level,parent_code`). It checks the whole file
 * and either returns every unit, parents before children, ready to become UnitRegistered events,
 * or refuses the whole file with every bad line named. Pure: look-ups arrive in the context.
 */
export const UNIT_IMPORT_LIMITS = { maxDataLines: 200_000, maxLineLength: 4_096 } as const;
export const UNIT_IMPORT_COLUMNS = ['code', 'name', 'level', 'parent_code'] as const;

export type UnitImportErrorKind =
  | CsvProblemKind
  | 'HEADER'
  | 'COLUMN_COUNT'
  | 'EMPTY_CODE'
  | 'EMPTY_NAME'
  | 'UNKNOWN_LEVEL'
  | 'DUPLICATE_CODE'
  | 'CODE_EXISTS'
  | 'UNKNOWN_PARENT'
  | 'PARENT_INACTIVE'
  | 'LEVEL_NOT_BELOW_PARENT'
  | 'CYCLE'
  | 'ROOT_NOT_TOP_LEVEL';

export type UnitImportError = Readonly<{
  /** 1-based; the header is line 1. */
  line: number;
  /** The unit code on that line, when there is one. */
  code?: string;
  /** Stable, e.g. `UNIT_IMPORT.UNKNOWN_PARENT`. */
  reason: `UNIT_IMPORT.${UnitImportErrorKind}`;
  message: string;
}>;

export type PlannedUnit = UnitRegistered['data'];

export type UnitImportContext = Readonly<{
  /** Look-up of a unit already registered, by code. */
  existing: (code: string) => UnitSummary | undefined;
  levels: readonly LevelDefinition[];
  /** The date the imported units take effect (yyyy-mm-dd). */
  validFrom: string;
  newId: (code: string) => string;
}>;

export type UnitImportPlan = Readonly<{ ok: true; units: PlannedUnit[] }> | Readonly<{ ok: false; errors: UnitImportError[] }>;

type Row = {
  line: number;
  code: string;
  name: string;
  levelCode: string;
  level: LevelDefinition | undefined;
  parentCode: string;
  parentId: string | null;
  unitId: string;
  /** 0 unvisited, 1 on the path being walked, 2 done: for finding cycles in one pass. */
  mark: 0 | 1 | 2;
  inCycle: boolean;
};

export const planUnitImport = (csvText: string, context: UnitImportContext): UnitImportPlan => {
  const dateProblem = dateProblems('validFrom', context.validFrom);
  if (dateProblem.length > 0) throw unitErrors.validationFailed(dateProblem);
  const { maxDataLines, maxLineLength } = UNIT_IMPORT_LIMITS;
  const errors: UnitImportError[] = [];
  const fail = (line: number, kind: UnitImportErrorKind, message: string, code?: string) => {
    errors.push({ line, ...(code ? { code } : {}), reason: `UNIT_IMPORT.${kind}`, message });
  };

  const { records, problems } = parseCsv(csvText, { maxLineLength, maxLines: maxDataLines + 1 });
  for (const p of problems) {
    fail(p.line, p.kind, p.kind === 'TOO_MANY_LINES' ? `The file has more than ${maxDataLines} data lines; split it` : p.message);
  }
  if (records.length === 0) {
    if (errors.length === 0) fail(1, 'HEADER', `The file is empty; its first line must be ${UNIT_IMPORT_COLUMNS.join(',')}`);
    return { ok: false, errors };
  }
  const malformed = new Set(problems.map((p) => p.line));
  const [header, ...lines] = records;
  const column = columnsOf(header.fields);
  if (column === undefined) {
    fail(header.line, 'HEADER', `The first line must name the columns ${UNIT_IMPORT_COLUMNS.join(',')}`);
    return { ok: false, errors };
  }

  const levels = new Map(context.levels.map((level) => [level.code, level]));
  const top = topLevel(context.levels);
  const rows = new Map<string, Row>();
  for (const { line, fields } of lines) {
    if (malformed.has(line)) continue;
    if (fields.length !== UNIT_IMPORT_COLUMNS.length) {
      fail(
        line,
        'COLUMN_COUNT',
        `Expected ${UNIT_IMPORT_COLUMNS.length} columns (${UNIT_IMPORT_COLUMNS.join(',')}), found ${fields.length}`,
      );
      continue;
    }
    const [code, name, levelCode, parentCode] = column.map((index) => cleanText(fields[index]));
    const row: Row = {
      line,
      code,
      name,
      levelCode,
      level: levels.get(levelCode),
      parentCode,
      parentId: null,
      unitId: '',
      mark: 0,
      inCycle: false,
    };
    if (code === '') fail(line, 'EMPTY_CODE', 'The code is empty');
    if (name === '') fail(line, 'EMPTY_NAME', 'The name is empty', code);
    if (row.level === undefined) {
      fail(line, 'UNKNOWN_LEVEL', `Unknown level "${levelCode}"; the levels are ${[...levels.keys()].join(', ')}`, code);
    }
    if (code === '') continue;
    const first = rows.get(code);
    if (first !== undefined) {
      fail(line, 'DUPLICATE_CODE', `The code ${code} is already used on line ${first.line}`, code);
      continue;
    }
    rows.set(code, row);
    if (context.existing(code) !== undefined) fail(line, 'CODE_EXISTS', `A unit with the code ${code} already exists`, code);
  }

  findCycles(rows, (row, cycle) => fail(row.line, 'CYCLE', `The parents go round in a circle: ${cycle}`, row.code));

  for (const row of rows.values()) {
    if (row.level === undefined || row.inCycle) continue;
    if (row.parentCode === '') {
      if (top !== undefined && row.level.depth !== top.depth) {
        fail(
          row.line,
          'ROOT_NOT_TOP_LEVEL',
          `Only a ${top.code} unit may have no parent_code; a ${row.level.code} unit needs one`,
          row.code,
        );
      }
      continue;
    }
    const inFile = rows.get(row.parentCode);
    const existing = inFile === undefined ? context.existing(row.parentCode) : undefined;
    if (inFile === undefined && existing === undefined) {
      fail(row.line, 'UNKNOWN_PARENT', `The parent ${row.parentCode} is neither in the file nor registered`, row.code);
      continue;
    }
    if (existing !== undefined && existing.status !== 'active') {
      fail(row.line, 'PARENT_INACTIVE', `The parent ${row.parentCode} is ${existing.status}`, row.code);
      continue;
    }
    row.parentId = existing?.unitId ?? null;
    const parentLevel = inFile !== undefined ? inFile.level : levels.get(existing?.level ?? '');
    if (parentLevel !== undefined && parentLevel.depth >= row.level.depth) {
      fail(
        row.line,
        'LEVEL_NOT_BELOW_PARENT',
        `A ${row.level.code} unit cannot hang under ${row.parentCode}, a ${parentLevel.code} unit`,
        row.code,
      );
    }
  }

  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  for (const row of rows.values()) row.unitId = context.newId(row.code);
  // A parent's level is always above its child's, so ordering by depth puts parents first.
  const ordered = [...rows.values()].sort((a, b) => depth(a) - depth(b) || a.line - b.line);
  return {
    ok: true,
    units: ordered.map((row) => ({
      unitId: row.unitId,
      code: row.code,
      name: row.name,
      level: row.levelCode,
      parentId: row.parentCode === '' ? null : (rows.get(row.parentCode)?.unitId ?? row.parentId),
      validFrom: context.validFrom,
    })),
  };
};

const depth = (row: Row): number => row.level?.depth ?? -1;

/** Index of each expected column in the header, which may list them in any order; undefined if it does not fit. */
const columnsOf = (header: readonly string[]): number[] | undefined => {
  const names = header.map((name) => name.trim().toLowerCase());
  const indexes = UNIT_IMPORT_COLUMNS.map((name) => names.indexOf(name));
  return names.length === UNIT_IMPORT_COLUMNS.length && indexes.every((i) => i >= 0) ? indexes : undefined;
};

/** Follows parent links inside the file once per row; reports each row that lies on a cycle. */
const findCycles = (rows: ReadonlyMap<string, Row>, report: (row: Row, cycle: string) => void): void => {
  for (const start of rows.values()) {
    const path: Row[] = [];
    let row: Row | undefined = start;
    while (row !== undefined && row.mark === 0) {
      row.mark = 1;
      path.push(row);
      row = row.parentCode === '' ? undefined : rows.get(row.parentCode);
    }
    if (row !== undefined && row.mark === 1) {
      const cycle = path.slice(path.indexOf(row));
      const description = [...cycle, row].map((r) => r.code).join(' → ');
      for (const member of cycle) {
        member.inCycle = true;
        report(member, description);
      }
    }
    for (const visited of path) visited.mark = 2;
  }
};
