import { parseCsv, toCsvLine } from './csv';

const limits = { maxLineLength: 4096, maxLines: 1000 };
const parse = (text: string) => parseCsv(text, limits);

describe('CSV reader', () => {
  it('reads plain fields, numbering records by their line', () => {
    expect(parse('code,name\nTW,Trung ương\n')).toEqual({
      records: [
        { line: 1, fields: ['code', 'name'] },
        { line: 2, fields: ['TW', 'Trung ương'] },
      ],
      problems: [],
    });
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    const { records, problems } = parse('a,"Xã số 1, Lào Cai","Chi hội ""Hoa Sen""","hai\ndòng"\nb,"",c,d\n');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'Xã số 1, Lào Cai', 'Chi hội "Hoa Sen"', 'hai\ndòng'] },
      { line: 3, fields: ['b', '', 'c', 'd'] },
    ]);
  });

  it('ignores a BOM at the start and accepts CRLF line ends', () => {
    expect(parse('\uFEFFcode,name\r\nLCI,"Lào Cai"\r\nLCI-SP,Sa Pa').records).toEqual([
      { line: 1, fields: ['code', 'name'] },
      { line: 2, fields: ['LCI', 'Lào Cai'] },
      { line: 3, fields: ['LCI-SP', 'Sa Pa'] },
    ]);
  });

  it('keeps Vietnamese text exactly, whatever its Unicode form', () => {
    const composed = 'Phường Cốc Lếu'.normalize('NFC');
    const decomposed = 'Xã Đồng Tuyển'.normalize('NFD');
    expect(parse(`${composed},${decomposed}`).records[0].fields).toEqual([composed, decomposed]);
  });

  it('skips blank lines, keeps empty fields and tolerates blanks around quoted fields', () => {
    expect(parse('\na,,\n\r\n\nb, "c, d" ,e\n\n').records).toEqual([
      { line: 2, fields: ['a', '', ''] },
      { line: 5, fields: ['b', 'c, d', 'e'] },
    ]);
  });

  it('reports a quote that is never closed on the line the field opens', () => {
    expect(parse('a,b\nc,"d\ne,f\n').problems).toEqual([
      { line: 2, kind: 'UNCLOSED_QUOTE', message: 'A quoted field is never closed' },
    ]);
  });

  it('reports stray quotes, in an unquoted field or after a closing quote', () => {
    expect(parse('a,b"c\n"d"e,f\n').problems.map((p) => [p.line, p.kind])).toEqual([
      [1, 'STRAY_QUOTE'],
      [2, 'STRAY_QUOTE'],
    ]);
  });

  it('refuses lines longer than the limit, naming each, and files with too many lines', () => {
    const long = 'x'.repeat(11);
    expect(
      parseCsv(`a\n${long}\nb\n${long}\r\n`, { maxLineLength: 10, maxLines: 10 }).problems.map((p) => [p.line, p.kind]),
    ).toEqual([
      [2, 'LINE_TOO_LONG'],
      [4, 'LINE_TOO_LONG'],
    ]);
    expect(parseCsv('x'.repeat(10) + '\r\n', { maxLineLength: 10, maxLines: 10 }).problems).toEqual([]);
    expect(parseCsv('a\nb\n\nc\nd\n', { maxLineLength: 10, maxLines: 3 })).toEqual({
      records: [],
      problems: [{ line: 5, kind: 'TOO_MANY_LINES', message: 'The file has more than 3 lines; split it' }],
    });
  });

  it('writes lines that it reads back unchanged', () => {
    const fields = ['LCI-BX', 'Xã số 1, "Bát Xát"', 'dòng\nhai', 'plain', ''];
    expect(toCsvLine(fields)).toBe('LCI-BX,"Xã số 1, ""Bát Xát""","dòng\nhai",plain,');
    expect(parse(toCsvLine(fields)).records[0].fields).toEqual(fields);
  });
});
