import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { toCsvLine } from '../domain/csv';
import { UNIT_IMPORT_COLUMNS } from '../domain/unit-import';

/**
 * The 34 provinces and centrally-run cities after the 2025 merger, with the number of communes
 * (xã, phường, đặc khu) each has in the 2025 arrangement, 3,321 in all. The three-letter codes
 * are this sample's own; the commune counts are sample data, not an official source.
 */
export const PROVINCES_2025: ReadonlyArray<Readonly<{ code: string; name: string; communes: number }>> = [
  { code: 'HNI', name: 'Hà Nội', communes: 126 },
  { code: 'HUE', name: 'Huế', communes: 40 },
  { code: 'LCU', name: 'Lai Châu', communes: 38 },
  { code: 'DBN', name: 'Điện Biên', communes: 45 },
  { code: 'SLA', name: 'Sơn La', communes: 75 },
  { code: 'LSN', name: 'Lạng Sơn', communes: 65 },
  { code: 'QNH', name: 'Quảng Ninh', communes: 54 },
  { code: 'THA', name: 'Thanh Hóa', communes: 166 },
  { code: 'NAN', name: 'Nghệ An', communes: 130 },
  { code: 'HTH', name: 'Hà Tĩnh', communes: 69 },
  { code: 'CBG', name: 'Cao Bằng', communes: 56 },
  { code: 'TQG', name: 'Tuyên Quang', communes: 124 },
  { code: 'LCI', name: 'Lào Cai', communes: 99 },
  { code: 'TNN', name: 'Thái Nguyên', communes: 92 },
  { code: 'PTO', name: 'Phú Thọ', communes: 148 },
  { code: 'BNH', name: 'Bắc Ninh', communes: 99 },
  { code: 'HYN', name: 'Hưng Yên', communes: 104 },
  { code: 'HPG', name: 'Hải Phòng', communes: 114 },
  { code: 'NBH', name: 'Ninh Bình', communes: 129 },
  { code: 'QTI', name: 'Quảng Trị', communes: 78 },
  { code: 'DNG', name: 'Đà Nẵng', communes: 94 },
  { code: 'QNI', name: 'Quảng Ngãi', communes: 96 },
  { code: 'GLI', name: 'Gia Lai', communes: 135 },
  { code: 'KHA', name: 'Khánh Hòa', communes: 65 },
  { code: 'LDG', name: 'Lâm Đồng', communes: 124 },
  { code: 'DLK', name: 'Đắk Lắk', communes: 102 },
  { code: 'HCM', name: 'TP. Hồ Chí Minh', communes: 168 },
  { code: 'DNI', name: 'Đồng Nai', communes: 95 },
  { code: 'TNH', name: 'Tây Ninh', communes: 96 },
  { code: 'CTO', name: 'Cần Thơ', communes: 103 },
  { code: 'VLG', name: 'Vĩnh Long', communes: 124 },
  { code: 'DTP', name: 'Đồng Tháp', communes: 102 },
  { code: 'CMU', name: 'Cà Mau', communes: 64 },
  { code: 'AGG', name: 'An Giang', communes: 102 },
];

export type NationalHierarchyOptions = Readonly<{ branchesPerCommune?: number }>;

/** 30 branches per commune gives 99,630 branches, close to the real ~100,000. */
export const DEFAULT_BRANCHES_PER_COMMUNE = 30;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The hierarchy as CSV lines in the import format (header first), one at a time: the same every run. */
export function* nationalHierarchyCsvLines({
  branchesPerCommune = DEFAULT_BRANCHES_PER_COMMUNE,
}: NationalHierarchyOptions = {}): Generator<string> {
  if (!Number.isInteger(branchesPerCommune) || branchesPerCommune < 0) {
    throw new RangeError(`branchesPerCommune must be a whole number ≥ 0, got ${branchesPerCommune}`);
  }
  const branchDigits = Math.max(2, String(branchesPerCommune).length);
  yield UNIT_IMPORT_COLUMNS.join(',');
  yield toCsvLine(['TW', 'Hội LHPN Việt Nam', 'central', '']);
  for (const province of PROVINCES_2025) yield toCsvLine([province.code, province.name, 'province', 'TW']);
  for (const province of PROVINCES_2025) {
    for (let c = 1; c <= province.communes; c++) {
      const commune = `${province.code}-${pad(c, 3)}`;
      yield toCsvLine([commune, `Xã số ${c}, ${province.name}`, 'commune', province.code]);
      for (let b = 1; b <= branchesPerCommune; b++) {
        yield toCsvLine([`${commune}-${pad(b, branchDigits)}`, `Chi hội số ${b}, xã số ${c}`, 'branch', commune]);
      }
    }
  }
}

export const generateNationalHierarchyCsv = (options: NationalHierarchyOptions = {}): string =>
  `${[...nationalHierarchyCsvLines(options)].join('\n')}\n`;

/** The same text as a stream, in chunks of 1,000 lines, for files too big to hold comfortably. */
export const nationalHierarchyCsvStream = (options: NationalHierarchyOptions = {}): Readable =>
  Readable.from(
    (function* chunks() {
      let chunk: string[] = [];
      for (const line of nationalHierarchyCsvLines(options)) {
        chunk.push(line);
        if (chunk.length === 1_000) {
          yield `${chunk.join('\n')}\n`;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
    })(),
  );

export const writeNationalHierarchyCsv = (path: string, options: NationalHierarchyOptions = {}): Promise<void> =>
  pipeline(nationalHierarchyCsvStream(options), createWriteStream(path, { encoding: 'utf8' }));
