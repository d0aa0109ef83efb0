import {
  type FieldError,
  isIsoDate,
  isIsoInstant,
  isPeriodKey,
  PERIOD_KEY_HINT,
  type ReportedValue,
  type TargetDefinition,
  validateReportedValue,
} from '@app/kernel';
import type { FollowUps, Obligation } from './report.events';

export const MAX_REASON_LENGTH = 10_000;
/** Each narrative section; long enough for a full written report. */
export const MAX_NARRATIVE_LENGTH = 50_000;

export { isIsoInstant };
export const isNonBlank = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isWhole = (v: unknown, min: number): v is number => Number.isInteger(v) && (v as number) >= min;

/**
 * Every snapshot target needs a value (a report is complete or it is not a report), each valid for
 * its shape; values for targets the obligation does not hold are refused too.
 */
export const valuesProblems = (targets: readonly TargetDefinition[], values: unknown): FieldError[] => {
  if (!isRecord(values)) return [{ field: 'values', message: 'must be an object keyed by target id' }];
  const problems: FieldError[] = [];
  const known = new Set<string>();
  for (const target of targets) {
    known.add(target.targetId);
    const field = `values.${target.targetId}`;
    const value = Object.hasOwn(values, target.targetId) ? values[target.targetId] : undefined;
    if (value === undefined) problems.push({ field, message: `is missing: target ${target.code} needs a value` });
    else if (!isRecord(value) || typeof value.kind !== 'string') problems.push({ field, message: 'must be a reported value' });
    else problems.push(...validateReportedValue(target, value as ReportedValue, field));
  }
  for (const key of Object.keys(values)) {
    if (!known.has(key)) problems.push({ field: `values.${key}`, message: 'is not a target of this obligation' });
  }
  return problems;
};

export const narrativeProblems = (narrative: unknown, field = 'narrative'): FieldError[] => {
  if (!isRecord(narrative)) return [{ field, message: 'must hold results, difficulties and proposals' }];
  const problems: FieldError[] = [];
  for (const section of ['results', 'difficulties', 'proposals'] as const) {
    const text = narrative[section];
    if (typeof text !== 'string') problems.push({ field: `${field}.${section}`, message: 'must be text (possibly empty)' });
    else if (text.length > MAX_NARRATIVE_LENGTH)
      problems.push({ field: `${field}.${section}`, message: `must be at most ${MAX_NARRATIVE_LENGTH} characters` });
  }
  for (const key of Object.keys(narrative)) {
    if (key !== 'results' && key !== 'difficulties' && key !== 'proposals')
      problems.push({ field: `${field}.${key}`, message: 'is not a narrative section' });
  }
  return problems;
};

export const obligationProblems = (o: Obligation): FieldError[] => {
  const problems: FieldError[] = [];
  const need = (ok: boolean, field: string, message: string) => {
    if (!ok) problems.push({ field, message });
  };
  need(isNonBlank(o.directiveId), 'directiveId', 'is required');
  need(isNonBlank(o.unitId), 'unitId', 'is required');
  need(isNonBlank(o.reviewerUnitId), 'reviewerUnitId', 'is required');
  need(isPeriodKey(o.period), 'period', PERIOD_KEY_HINT);
  need(isIsoDate(o.window?.from), 'window.from', 'must be a date written yyyy-mm-dd');
  need(isIsoDate(o.window?.to), 'window.to', 'must be a date written yyyy-mm-dd');
  if (isIsoDate(o.window?.from) && isIsoDate(o.window?.to))
    need(o.window.from <= o.window.to, 'window.to', 'must not be before window.from');
  need(isIsoInstant(o.due), 'due', 'must be an ISO instant with its offset, e.g. 2026-07-20T23:59:59+07:00');
  need(typeof o.approvalRequired === 'boolean', 'approvalRequired', 'must be true or false');
  if (o.followUps !== undefined) problems.push(...followUpProblems(o.followUps));
  if (!Array.isArray(o.targets)) problems.push({ field: 'targets', message: 'must be a list' });
  else {
    const ids = new Set<string>();
    o.targets.forEach((t, i) => {
      if (!isRecord(t) || !isNonBlank(t.targetId)) problems.push({ field: `targets[${i}].targetId`, message: 'is required' });
      else if (ids.has(t.targetId)) problems.push({ field: `targets[${i}].targetId`, message: `"${t.targetId}" is repeated` });
      else ids.add(t.targetId);
    });
  }
  return problems;
};

const MAX_FOLLOW_UPS = 50;

const followUpProblems = (f: FollowUps): FieldError[] => {
  const problems: FieldError[] = [];
  const list = (items: unknown, field: string, check: (item: Record<string, unknown>, at: string) => void) => {
    if (!Array.isArray(items) || items.length > MAX_FOLLOW_UPS)
      problems.push({ field, message: `must be a list of at most ${MAX_FOLLOW_UPS}` });
    else
      items.forEach((item, i) => {
        if (!isRecord(item)) problems.push({ field: `${field}[${i}]`, message: 'must be an object' });
        else check(item, `${field}[${i}]`);
      });
  };
  const instant = (v: unknown, field: string) => {
    if (!isIsoInstant(v)) problems.push({ field, message: 'must be an ISO instant with its offset' });
  };
  list(f?.reminders, 'followUps.reminders', (r, at) => {
    problems.push(...stepProblems(r.step, `${at}.step`), ...daysProblems(r.daysBefore, `${at}.daysBefore`));
    instant(r.at, `${at}.at`);
  });
  list(f?.escalations, 'followUps.escalations', (e, at) => {
    problems.push(...stepProblems(e.step, `${at}.step`));
    if (!isNonBlank(e.toUnitId)) problems.push({ field: `${at}.toUnitId`, message: 'is required' });
    instant(e.at, `${at}.at`);
  });
  return problems;
};

export const reasonProblems = (reason: unknown): FieldError[] =>
  typeof reason === 'string' && reason.length > MAX_REASON_LENGTH
    ? [{ field: 'reason', message: `must be at most ${MAX_REASON_LENGTH} characters` }]
    : [];

export const stepProblems = (step: unknown, field = 'step'): FieldError[] =>
  isWhole(step, 0) ? [] : [{ field, message: 'must be a whole number ≥ 0' }];

export const daysProblems = (days: unknown, field = 'daysBefore'): FieldError[] =>
  isWhole(days, 0) ? [] : [{ field, message: 'must be a whole number ≥ 0' }];
