import { type TargetDefinition, validateReportedValue } from '../../../libs/kernel/src/targets';
import { valuesProblems } from '../../../libs/reporting/src/domain/report.validation';
import en from './i18n/en.json';
import vi from './i18n/vi.json';
import { draftProblems, meetsTarget, parseNumber, problemMessageKey, valuesFromInputs } from './report-rules';

const target = (targetId: string, shape: TargetDefinition['shape'], value = 1): TargetDefinition => ({
  targetId,
  code: `(${targetId})`,
  title: targetId,
  shape,
  measuredAtLevel: 'commune',
  value,
});
const TARGETS = [target('n', 'count_with_floor', 2), target('r', 'rate', 0.9), target('d', 'deliverable')];
const NARRATIVE = { results: '', difficulties: '', proposals: '' };

describe('numbers as people type them', () => {
  it.each([
    ['1.200', 'vi', 1200],
    ['1 200', 'vi', 1200],
    ['0,85', 'vi', 0.85],
    ['1.234.567,5', 'vi', 1234567.5],
    ['0.85', 'vi', 0.85],
    ['1,200', 'en', 1200],
    ['0.85', 'en', 0.85],
    ['-3', 'vi', -3],
  ] as const)('%s (%s) is %d', (text, lang, value) => {
    expect(parseNumber(text, lang)).toBe(value);
  });

  it('reads blank as missing and anything else as not a number', () => {
    expect(parseNumber('  ', 'vi')).toBeUndefined();
    expect(parseNumber('abc', 'vi')).toBeNaN();
    expect(parseNumber('1,2,3', 'vi')).toBeNaN();
  });
});

describe('the form applies the API rules', () => {
  it('finds the same problems as the server for the same values', () => {
    const inputs = { n: { value: 'x' }, r: { numerator: '9', denominator: '8' } };
    const values = valuesFromInputs(TARGETS, inputs, 'vi');
    expect(draftProblems(TARGETS, { inputs, narrative: NARRATIVE }, 'vi', false)).toEqual(valuesProblems(TARGETS, values));
    expect(draftProblems(TARGETS, { inputs, narrative: NARRATIVE }, 'vi', false).map((p) => p.field)).toEqual([
      'values.n.value',
      'values.r.numerator',
      'values.d',
    ]);
  });

  it('accepts a complete draft, and asks a correction for its reason', () => {
    const inputs = { n: { value: '2' }, r: { numerator: '9', denominator: '10' }, d: { done: 'yes' as const } };
    expect(draftProblems(TARGETS, { inputs, narrative: NARRATIVE }, 'vi', false)).toEqual([]);
    expect(draftProblems(TARGETS, { inputs, narrative: NARRATIVE, reason: ' ' }, 'vi', true)).toEqual([
      { field: 'reason', message: 'is required' },
    ]);
    expect(valuesFromInputs(TARGETS, inputs, 'vi')).toEqual({
      n: { kind: 'number', value: 2 },
      r: { kind: 'ratio', numerator: 9, denominator: 10 },
      d: { kind: 'done', done: true },
    });
  });

  it("translates every message the kernel's value rule gives", () => {
    const problems = [
      ...validateReportedValue(TARGETS[0], { kind: 'number', value: -1 }, 'v'),
      ...validateReportedValue(TARGETS[1], { kind: 'ratio', numerator: -1, denominator: 0 }, 'v'),
      ...validateReportedValue(TARGETS[1], { kind: 'ratio', numerator: 2, denominator: 1 }, 'v'),
      ...validateReportedValue(TARGETS[2], { kind: 'done', done: 'yes' as unknown as boolean }, 'v'),
      ...validateReportedValue(TARGETS[2], { kind: 'number', value: 1 }, 'v'),
      ...valuesProblems(TARGETS, {}),
    ];
    // Every case above gives its own problem, so each kind of message is checked below.
    expect(problems.map((p) => p.field)).toEqual([
      'v.value',
      'v.numerator',
      'v.denominator',
      'v.numerator',
      'v.done',
      'v',
      'values.n',
      'values.r',
      'values.d',
    ]);
    for (const { message } of problems) {
      const key = problemMessageKey(message);
      expect({ message, key }).toEqual({ message, key: expect.any(String) });
      expect(Object.keys(vi)).toContain(key);
      expect(Object.keys(en)).toContain(key);
    }
  });

  it("judges a unit's own value against its goal", () => {
    expect(meetsTarget(TARGETS[0], { kind: 'number', value: 2 }, 2)).toBe(true);
    expect(meetsTarget(TARGETS[1], { kind: 'ratio', numerator: 88, denominator: 100 }, 0.9)).toBe(false);
    expect(meetsTarget(target('t', 'absolute_total', 300), { kind: 'number', value: 20 }, 300)).toBeNull();
  });
});
