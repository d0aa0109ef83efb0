// The server's own rules for a report, bundled into the page: the form refuses exactly what the
// API would refuse. These modules are pure domain code (they import only the kernel), which the
// build checks: the bundle may hold nothing else of the server.
import { targetValueAt } from '../../../libs/kernel/src/targets';
import { MAX_REASON_LENGTH, narrativeProblems, valuesProblems } from '../../../libs/reporting/src/domain/report.validation';
import type { MessageKey } from './i18n';
import type { Narrative, ReportedValue, TargetDefinition } from './types';

export { MAX_REASON_LENGTH, targetValueAt };

export type FieldProblem = Readonly<{ field: string; message: string }>;

/** What the user typed for one target, as text (checkbox state for a deliverable). */
export type TargetInput = Readonly<{
  value?: string;
  numerator?: string;
  denominator?: string;
  done?: '' | 'yes' | 'no';
  evidence?: string;
}>;

export type ReportDraft = Readonly<{ inputs: Readonly<Record<string, TargetInput>>; narrative: Narrative; reason?: string }>;

/**
 * A number as people type it: `1.200` or `1 200` (thousands) and `0,85` (decimal comma) in
 * Vietnamese; `1,200` and `0.85` in English. Empty is undefined (missing); anything else that is
 * not a number is NaN, which the rules refuse as "not a number ≥ 0".
 */
export const parseNumber = (text: string | undefined, lang: 'vi' | 'en'): number | undefined => {
  const s = (text ?? '').replace(/[\s\u00a0]/g, '');
  if (s === '') return undefined;
  const [thousands, decimal] = lang === 'vi' ? ['.', ','] : [',', '.'];
  const t = thousands === '.' ? '\\.' : thousands;
  const d = decimal === '.' ? '\\.' : decimal;
  const grouped = new RegExp(`^-?\\d{1,3}(${t}\\d{3})+(${d}\\d+)?$`);
  const plain = new RegExp(`^-?\\d+(${d}\\d+)?$`);
  const other = /^-?\d+(\.\d+)?$/;
  if (grouped.test(s)) return Number(s.split(thousands).join('').replace(decimal, '.'));
  if (plain.test(s)) return Number(s.replace(decimal, '.'));
  // A decimal point typed in Vietnamese ("0.85") is read as a decimal, unless it groups thousands (above).
  if (other.test(s)) return Number(s);
  return Number.NaN;
};

const expectedKind = (target: TargetDefinition): ReportedValue['kind'] =>
  target.shape === 'rate' ? 'ratio' : target.shape === 'deliverable' ? 'done' : 'number';

/** The values to send, built from the inputs; a target left wholly blank is left out (so the rules say it is missing). */
export const valuesFromInputs = (
  targets: readonly TargetDefinition[],
  inputs: Readonly<Record<string, TargetInput>>,
  lang: 'vi' | 'en',
): Record<string, unknown> => {
  const values: Record<string, unknown> = {};
  for (const target of targets) {
    const input = inputs[target.targetId] ?? {};
    switch (expectedKind(target)) {
      case 'number': {
        const value = parseNumber(input.value, lang);
        if (value !== undefined) values[target.targetId] = { kind: 'number', value };
        break;
      }
      case 'ratio': {
        const numerator = parseNumber(input.numerator, lang);
        const denominator = parseNumber(input.denominator, lang);
        if (numerator !== undefined || denominator !== undefined)
          values[target.targetId] = { kind: 'ratio', numerator, denominator };
        break;
      }
      case 'done': {
        if (!input.done) break;
        const evidence = (input.evidence ?? '').trim();
        values[target.targetId] = { kind: 'done', done: input.done === 'yes', ...(evidence ? { evidence } : {}) };
        break;
      }
    }
  }
  return values;
};

/** The inputs that show a value already reported (to correct it, or to resubmit after a return). */
export const inputsFromValues = (
  values: Readonly<Record<string, ReportedValue>> | null | undefined,
  format: (n: number) => string,
): Record<string, TargetInput> => {
  const inputs: Record<string, TargetInput> = {};
  for (const [targetId, value] of Object.entries(values ?? {})) {
    if (value.kind === 'number') inputs[targetId] = { value: format(value.value) };
    else if (value.kind === 'ratio')
      inputs[targetId] = { numerator: format(value.numerator), denominator: format(value.denominator) };
    else inputs[targetId] = { done: value.done ? 'yes' : 'no', evidence: value.evidence ?? '' };
  }
  return inputs;
};

/** Every problem of a draft, by the server's rules, with the server's field names (`values.lc-4.numerator`). */
export const draftProblems = (
  targets: readonly TargetDefinition[],
  draft: ReportDraft,
  lang: 'vi' | 'en',
  needsReason: boolean,
): FieldProblem[] => {
  const problems: FieldProblem[] = [
    ...valuesProblems(targets, valuesFromInputs(targets, draft.inputs, lang)),
    ...narrativeProblems(draft.narrative),
  ];
  if (needsReason) problems.push(...reasonProblems(draft.reason));
  return problems;
};

/** A return or a correction needs a reason (REPORT.REASON_REQUIRED), of at most MAX_REASON_LENGTH characters. */
export const reasonProblems = (reason: string | undefined): FieldProblem[] =>
  !reason || reason.trim() === ''
    ? [{ field: 'reason', message: 'is required' }]
    : reason.length > MAX_REASON_LENGTH
      ? [{ field: 'reason', message: `must be at most ${MAX_REASON_LENGTH} characters` }]
      : [];

/**
 * The rules speak English, to developers; the page says the same thing in the user's language.
 * Each rule's message maps to a message key; anything new falls back to the rule's own words.
 */
const MESSAGE_KEYS: readonly (readonly [RegExp, MessageKey])[] = [
  [/^is missing/, 'validation.required'],
  [/^is required/, 'validation.required'],
  [/^must be a finite number ≥ 0/, 'validation.nonNegative'],
  [/^must be a finite number > 0/, 'validation.positive'],
  [/^must not exceed the denominator/, 'validation.numeratorOverDenominator'],
  [/^must be true or false/, 'validation.chooseDone'],
  [/takes a value of kind/, 'validation.wrongKind'],
  [/^must be at most/, 'validation.tooLong'],
  [/^must be text/, 'validation.required'],
];

export const problemMessageKey = (message: string): MessageKey | undefined =>
  MESSAGE_KEYS.find(([pattern]) => pattern.test(message))?.[1];

/** Where a target's figure stands against the goal for one unit's own report: met, or not yet. */
export const meetsTarget = (target: TargetDefinition, value: ReportedValue | undefined, goal: number): boolean | null => {
  if (!value) return null;
  switch (value.kind) {
    case 'number':
      if (target.shape === 'share_of_units') return value.value >= (target.threshold ?? 1);
      if (target.shape === 'count_with_floor') return value.value >= goal;
      return null; // an absolute total is the issuer's; one unit's part meets nothing alone
    case 'ratio':
      return value.denominator > 0 ? value.numerator / value.denominator >= goal : null;
    case 'done':
      return value.done;
  }
};
