import {
  type FieldError,
  isIsoInstant,
  isPeriodKey,
  PERIOD_KEY_HINT,
  TARGET_SHAPES,
  type TargetDefinition,
  type TargetShape,
  targetValueAt,
} from '@app/kernel';
import type { OpenReportingPeriod, ReportingScheduleInput } from './directive.commands';
import {
  CADENCES,
  DIRECTIVE_KINDS,
  type DirectiveHeader,
  ESCALATION_TARGETS,
  type ReportingSchedule,
  type Task,
} from './directive.events';
import { FieldProblems, isIsoDate, isOneOf } from './field-checks';

export const MAX_TARGETS = 200;
export const MAX_TASKS = 500;
export const MAX_MILESTONES = 50;
export const MAX_COORDINATING = 100;

export const DEFAULT_CUT_OFF_DAY = 14;
/** 14th + 6 = the 20th, the usual submission day; issuers override it. */
export const DEFAULT_DUE_OFFSET_DAYS = 6;
export const DEFAULT_REMINDER_OFFSETS_DAYS: readonly number[] = [7, 3, 1];
export const DEFAULT_ESCALATION_STEPS = [
  { afterWorkingDays: 2, to: 'parent' },
  { afterWorkingDays: 5, to: 'grandparent' },
] as const;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isWholeNumber = (v: unknown): v is number => Number.isInteger(v);

const valueProblem = (shape: TargetShape, value: unknown): string | undefined => {
  if (!isFiniteNumber(value)) return 'must be a number';
  switch (shape) {
    case 'share_of_units':
    case 'rate':
      return value > 0 && value <= 1 ? undefined : 'must be a share in (0, 1], e.g. 0.85 for 85%';
    case 'count_with_floor':
    case 'absolute_total':
      return value > 0 ? undefined : 'must be greater than 0';
    case 'deliverable':
      return value === 1 ? undefined : 'must be 1 (done)';
  }
};

/** Checks one target on its own; `field` is its path, e.g. `targets[3]`. */
export const targetProblems = (target: TargetDefinition, field: string): FieldError[] => {
  const p = new FieldProblems();
  p.text(target.targetId, `${field}.targetId`);
  p.text(target.code, `${field}.code`);
  p.text(target.title, `${field}.title`);
  p.text(target.measuredAtLevel, `${field}.measuredAtLevel`);
  p.optionalText(target.unitOfMeasure, `${field}.unitOfMeasure`);
  const shape = target.shape;
  if (!isOneOf(TARGET_SHAPES, shape)) {
    p.add(`${field}.shape`, `must be one of ${TARGET_SHAPES.join(', ')}`);
    return p.list;
  }
  const problem = valueProblem(shape, target.value);
  if (problem) p.add(`${field}.value`, problem);
  if (target.threshold !== undefined) {
    if (shape !== 'share_of_units') p.add(`${field}.threshold`, 'applies to share_of_units targets only');
    else if (!isFiniteNumber(target.threshold) || target.threshold <= 0) p.add(`${field}.threshold`, 'must be greater than 0');
  }
  if (target.milestones !== undefined) {
    if (!Array.isArray(target.milestones)) p.add(`${field}.milestones`, 'must be a list');
    else if (shape === 'deliverable') p.add(`${field}.milestones`, 'a deliverable has no milestones');
    else if (target.milestones.length > MAX_MILESTONES) p.add(`${field}.milestones`, `must hold at most ${MAX_MILESTONES}`);
    else {
      let previous = '';
      target.milestones.forEach((milestone, i) => {
        const at = `${field}.milestones[${i}]`;
        if (!isIsoDate(milestone?.from)) p.add(`${at}.from`, 'must be a date written yyyy-mm-dd');
        else if (milestone.from <= previous) p.add(`${at}.from`, 'must come after the previous milestone');
        else previous = milestone.from;
        const milestoneProblem = valueProblem(shape, milestone?.value);
        if (milestoneProblem) p.add(`${at}.value`, milestoneProblem);
      });
    }
  }
  return p.list;
};

/** Where each item of a list sits: `targets` gives `targets[3]`; a function names single items (`target`). */
export type ItemPath = string | ((index: number) => string);
const pathOf = (path: ItemPath, index: number): string => (typeof path === 'string' ? `${path}[${index}]` : path(index));
const listName = (path: ItemPath): string => (typeof path === 'string' ? path : path(0));

/** Checks targets, including that ids and codes are unique among themselves and the `existing` ones. */
export const targetListProblems = (
  targets: readonly TargetDefinition[],
  path: ItemPath,
  existing: readonly TargetDefinition[] = [],
): FieldError[] => {
  const p = new FieldProblems();
  if (targets.length + existing.length > MAX_TARGETS) p.add(listName(path), `a directive holds at most ${MAX_TARGETS} targets`);
  const ids = new Set(existing.map((t) => t.targetId));
  const codes = new Set(existing.map((t) => t.code));
  targets.forEach((target, i) => {
    const at = pathOf(path, i);
    if (target === null || typeof target !== 'object') {
      p.add(at, 'must be a target');
      return;
    }
    p.addAll(targetProblems(target, at));
    if (ids.has(target.targetId)) p.add(`${at}.targetId`, `"${target.targetId}" is already used`);
    if (codes.has(target.code)) p.add(`${at}.code`, `"${target.code}" is already used`);
    ids.add(target.targetId);
    codes.add(target.code);
  });
  return p.list;
};

export const taskProblems = (task: Task, field: string): FieldError[] => {
  const p = new FieldProblems();
  p.text(task.taskId, `${field}.taskId`);
  p.text(task.title, `${field}.title`);
  p.optionalText(task.level, `${field}.level`);
  p.optionalText(task.leadUnitId, `${field}.leadUnitId`);
  p.optionalText(task.leadDepartment, `${field}.leadDepartment`);
  if (task.leadUnitId !== undefined && task.leadDepartment !== undefined)
    p.add(`${field}.leadDepartment`, 'give a lead unit or a lead department, not both');
  if (!Array.isArray(task.coordinating)) p.add(`${field}.coordinating`, 'must be a list (possibly empty)');
  else if (task.coordinating.length > MAX_COORDINATING) p.add(`${field}.coordinating`, `must hold at most ${MAX_COORDINATING}`);
  else task.coordinating.forEach((c, i) => p.text(c, `${field}.coordinating[${i}]`));
  if (task.due !== undefined) p.date(task.due, `${field}.due`);
  return p.list;
};

export const taskListProblems = (tasks: readonly Task[], path: ItemPath, existing: readonly Task[] = []): FieldError[] => {
  const p = new FieldProblems();
  if (tasks.length + existing.length > MAX_TASKS) p.add(listName(path), `a directive holds at most ${MAX_TASKS} tasks`);
  const ids = new Set(existing.map((t) => t.taskId));
  tasks.forEach((task, i) => {
    const at = pathOf(path, i);
    if (task === null || typeof task !== 'object') {
      p.add(at, 'must be a task');
      return;
    }
    p.addAll(taskProblems(task, at));
    if (ids.has(task.taskId)) p.add(`${at}.taskId`, `"${task.taskId}" is already used`);
    ids.add(task.taskId);
  });
  return p.list;
};

export const scheduleProblems = (schedule: ReportingScheduleInput, field: string): FieldError[] => {
  const p = new FieldProblems();
  if (!isOneOf(CADENCES, schedule.cadence)) p.add(`${field}.cadence`, `must be one of ${CADENCES.join(', ')}`);
  const { cutOffDay, dueOffsetDays, reminderOffsetsDays, escalationSteps, approvalRequired } = schedule;
  if (cutOffDay !== undefined && (!isWholeNumber(cutOffDay) || cutOffDay < 1 || cutOffDay > 28))
    p.add(`${field}.cutOffDay`, 'must be a whole number from 1 to 28');
  if (dueOffsetDays !== undefined && (!isWholeNumber(dueOffsetDays) || dueOffsetDays < 0 || dueOffsetDays > 366))
    p.add(`${field}.dueOffsetDays`, 'must be a whole number from 0 to 366');
  if (reminderOffsetsDays !== undefined) {
    if (!Array.isArray(reminderOffsetsDays)) p.add(`${field}.reminderOffsetsDays`, 'must be a list');
    else {
      const seen = new Set<number>();
      reminderOffsetsDays.forEach((d, i) => {
        if (!isWholeNumber(d) || d < 1 || d > 366)
          p.add(`${field}.reminderOffsetsDays[${i}]`, 'must be a whole number from 1 to 366');
        else if (seen.has(d)) p.add(`${field}.reminderOffsetsDays[${i}]`, 'is repeated');
        seen.add(d);
      });
    }
  }
  if (escalationSteps !== undefined) {
    if (!Array.isArray(escalationSteps)) p.add(`${field}.escalationSteps`, 'must be a list');
    else {
      let previous = -1;
      escalationSteps.forEach((step, i) => {
        const at = `${field}.escalationSteps[${i}]`;
        if (!isWholeNumber(step?.afterWorkingDays) || step.afterWorkingDays < 0 || step.afterWorkingDays > 366)
          p.add(`${at}.afterWorkingDays`, 'must be a whole number from 0 to 366');
        else if (step.afterWorkingDays <= previous) p.add(`${at}.afterWorkingDays`, 'must be later than the previous step');
        else previous = step.afterWorkingDays;
        if (!isOneOf(ESCALATION_TARGETS, step?.to)) p.add(`${at}.to`, `must be one of ${ESCALATION_TARGETS.join(', ')}`);
      });
    }
  }
  if (approvalRequired !== undefined && typeof approvalRequired !== 'boolean')
    p.add(`${field}.approvalRequired`, 'must be true or false');
  return p.list;
};

/**
 * Fills in what the input leaves out: from `current` when amending a schedule, else the defaults
 * (the 15th-to-14th cut-off, reminders 7, 3 and 1 days before, escalation to parent then grandparent).
 */
export const resolveSchedule = (input: ReportingScheduleInput, current?: ReportingSchedule | null): ReportingSchedule => ({
  cadence: input.cadence,
  cutOffDay: input.cutOffDay ?? current?.cutOffDay ?? DEFAULT_CUT_OFF_DAY,
  dueOffsetDays: input.dueOffsetDays ?? current?.dueOffsetDays ?? DEFAULT_DUE_OFFSET_DAYS,
  reminderOffsetsDays: [...(input.reminderOffsetsDays ?? current?.reminderOffsetsDays ?? DEFAULT_REMINDER_OFFSETS_DAYS)].sort(
    (a, b) => b - a,
  ),
  escalationSteps: (input.escalationSteps ?? current?.escalationSteps ?? DEFAULT_ESCALATION_STEPS).map((s) => ({
    afterWorkingDays: s.afterWorkingDays,
    to: s.to,
  })),
  approvalRequired: input.approvalRequired ?? current?.approvalRequired ?? true,
});

export const headerProblems = (header: DirectiveHeader): FieldError[] => {
  const p = new FieldProblems();
  p.text(header.directiveId, 'directiveId');
  p.text(header.number, 'number');
  if (!isOneOf(DIRECTIVE_KINDS, header.kind)) p.add('kind', `must be one of ${DIRECTIVE_KINDS.join(', ')}`);
  p.text(header.title, 'title');
  p.text(header.issuerUnitId, 'issuerUnitId');
  p.text(header.issuingBody, 'issuingBody');
  p.optionalText(header.place, 'place');
  p.date(header.documentDate, 'documentDate');
  if (header.basisDirectiveId !== null) p.text(header.basisDirectiveId, 'basisDirectiveId');
  p.optionalText(header.purpose, 'purpose');
  if (header.period === null || typeof header.period !== 'object') p.add('period', 'is required');
  else {
    p.date(header.period.from, 'period.from');
    p.date(header.period.to, 'period.to');
    if (isIsoDate(header.period.from) && isIsoDate(header.period.to) && header.period.to < header.period.from)
      p.add('period.to', 'must not be before period.from');
  }
  return p.list;
};

/** Dates on which either target changes value, plus one before all of them (the base value). */
const changeDates = (a: TargetDefinition, b: TargetDefinition): string[] => [
  '',
  ...new Set([...(a.milestones ?? []), ...(b.milestones ?? [])].map((m) => m.from)),
];

/**
 * Where an implementing directive's target is looser than its basis: a floor, share or rate may be
 * raised, never lowered, at any date. An absolute total is for the issuer's own, smaller area, so
 * it is not compared; a deliverable is done or not.
 */
export const loosenings = (child: TargetDefinition, basis: TargetDefinition, field: string): FieldError[] => {
  if (child.shape !== basis.shape) return [{ field: `${field}.shape`, message: `must stay ${basis.shape}, as in the basis` }];
  if (child.shape === 'absolute_total' || child.shape === 'deliverable') return [];
  const problems: FieldError[] = [];
  for (const date of changeDates(child, basis).sort()) {
    const own = targetValueAt(child, date);
    const floor = targetValueAt(basis, date);
    if (own < floor) {
      const when = date === '' ? 'before any milestone' : `from ${date}`;
      problems.push({
        field: date === '' ? `${field}.value` : `${field}.milestones`,
        message: `${own} is below the basis's ${floor} in force ${when}`,
      });
    }
  }
  if (child.shape === 'share_of_units' && (child.threshold ?? 1) < (basis.threshold ?? 1))
    problems.push({ field: `${field}.threshold`, message: `must be at least the basis's ${basis.threshold ?? 1}` });
  return problems;
};

const MAX_FOLLOW_UPS = 50;

/** A period's window, due instant and follow-up instants, as the period-opener or a request gives them. */
export const periodOpeningProblems = (data: OpenReportingPeriod['data']): FieldError[] => {
  const p = new FieldProblems();
  if (!isPeriodKey(data.period)) p.add('period', PERIOD_KEY_HINT);
  p.date(data.window?.from, 'window.from');
  p.date(data.window?.to, 'window.to');
  if (isIsoDate(data.window?.from) && isIsoDate(data.window?.to) && data.window.from > data.window.to)
    p.add('window.to', 'must not be before window.from');
  if (!isIsoInstant(data.due)) p.add('due', 'must be an ISO instant with its offset, e.g. 2026-07-20T23:59:59+07:00');
  if (!isOneOf(['schedule', 'request'] as const, data.openedBy)) p.add('openedBy', 'must be schedule or request');
  const { reminders, escalations } = data.deadlines ?? {};
  if (!Array.isArray(reminders) || reminders.length > MAX_FOLLOW_UPS)
    p.add('deadlines.reminders', `must be a list of at most ${MAX_FOLLOW_UPS}`);
  else
    reminders.forEach((r, i) => {
      if (!Number.isInteger(r?.step) || r.step < 1) p.add(`deadlines.reminders[${i}].step`, 'must be a whole number ≥ 1');
      if (!Number.isInteger(r?.daysBefore) || r.daysBefore < 0)
        p.add(`deadlines.reminders[${i}].daysBefore`, 'must be a whole number ≥ 0');
      if (!isIsoInstant(r?.at)) p.add(`deadlines.reminders[${i}].at`, 'must be an ISO instant with its offset');
    });
  if (!Array.isArray(escalations) || escalations.length > MAX_FOLLOW_UPS)
    p.add('deadlines.escalations', `must be a list of at most ${MAX_FOLLOW_UPS}`);
  else
    escalations.forEach((e, i) => {
      if (!Number.isInteger(e?.step) || e.step < 1) p.add(`deadlines.escalations[${i}].step`, 'must be a whole number ≥ 1');
      if (!Number.isInteger(e?.afterWorkingDays) || e.afterWorkingDays < 0)
        p.add(`deadlines.escalations[${i}].afterWorkingDays`, 'must be a whole number ≥ 0');
      if (!isOneOf(ESCALATION_TARGETS, e?.to)) p.add(`deadlines.escalations[${i}].to`, 'must be parent or grandparent');
      if (!isIsoInstant(e?.at)) p.add(`deadlines.escalations[${i}].at`, 'must be an ISO instant with its offset');
    });
  return p.list;
};
