/**
 * A small RFC 4180 reader and writer: comma separators, fields in double quotes may hold commas,
 * line breaks and doubled quotes (""). Lines end in LF or CRLF; a leading BOM is ignored; blank
 * lines are skipped; blanks around a quoted field are ignored. It reports problems by line instead of throwing, so a caller can list them all.
 */
export type CsvRecord = Readonly<{ line: number; fields: string[] }>;
export type CsvProblemKind = 'TOO_MANY_LINES' | 'LINE_TOO_LONG' | 'UNCLOSED_QUOTE' | 'STRAY_QUOTE';
export type CsvProblem = Readonly<{ line: number; kind: CsvProblemKind; message: string }>;
export type CsvLimits = Readonly<{ maxLineLength: number; maxLines: number }>;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Checks the limits before parsing, so an oversized file costs one scan and nothing more. */
const limitProblems = (text: string, { maxLineLength, maxLines }: CsvLimits): CsvProblem[] => {
  const problems: CsvProblem[] = [];
  let lines = 0;
  for (let start = 0, line = 1; start < text.length; line++) {
    const lf = text.indexOf('\n', start);
    const end = lf < 0 ? text.length : lf;
    const length = end - start - (end > start && text.charCodeAt(end - 1) === CR ? 1 : 0);
    if (length > 0 && ++lines > maxLines) {
      return [{ line, kind: 'TOO_MANY_LINES', message: `The file has more than ${maxLines} lines; split it` }];
    }
    if (length > maxLineLength) {
      problems.push({
        line,
        kind: 'LINE_TOO_LONG',
        message: `Line is ${length} characters long; at most ${maxLineLength} are allowed`,
      });
    }
    start = end + 1;
  }
  return problems;
};

export const parseCsv = (input: string, limits: CsvLimits): { records: CsvRecord[]; problems: CsvProblem[] } => {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const tooBig = limitProblems(text, limits);
  if (tooBig.length > 0) return { records: [], problems: tooBig };

  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const first = text.charCodeAt(i);
    if (first === LF || first === CR) {
      i += first === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    const recordLine = line;
    const fields: string[] = [];
    for (;;) {
      let value: string;
      const start = skipBlanks(text, i);
      if (text.charCodeAt(start) === QUOTE) {
        i = start;
        value = '';
        let from = i + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          const end = quote < 0 ? n : quote;
          value += text.slice(from, end);
          line += countLineFeeds(text, from, end);
          if (quote < 0) {
            problems.push({ line: recordLine, kind: 'UNCLOSED_QUOTE', message: 'A quoted field is never closed' });
            i = n;
            break;
          }
          if (text.charCodeAt(quote + 1) === QUOTE) {
            value += '"';
            from = quote + 2;
            continue;
          }
          i = quote + 1;
          break;
        }
        i = skipBlanks(text, i);
        const rest = scanUnquoted(text, i);
        if (rest > i) {
          problems.push({ line, kind: 'STRAY_QUOTE', message: 'Text follows a closing quote; quote the whole field' });
          value += text.slice(i, rest);
          i = rest;
        }
      } else {
        const end = scanUnquoted(text, i);
        value = text.slice(i, end);
        if (value.includes('"')) {
          problems.push({
            line,
            kind: 'STRAY_QUOTE',
            message: 'A quote inside an unquoted field; quote the field and double the quote',
          });
        }
        i = end;
      }
      fields.push(value);
      if (i >= n) break;
      const c = text.charCodeAt(i);
      i++;
      if (c === COMMA) continue;
      if (c === CR && text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    records.push({ line: recordLine, fields });
  }
  return { records, problems };
};

/** Spaces and tabs around a quoted field are tolerated: `a, "b, c"` is two fields. */
const skipBlanks = (text: string, from: number): number => {
  let i = from;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return i;
};

const scanUnquoted = (text: string, from: number): number => {
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === LF || c === CR) break;
  }
  return i;
};

const countLineFeeds = (text: string, from: number, to: number): number => {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
};

/** One CSV line (without its line break), quoting only the fields that need it. */
export const toCsvLine = (fields: readonly string[]): string =>
  fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',');
