import { type FieldError, type TargetDefinition, ValidationError } from '@app/kernel';
import type { DraftDirectiveData, ReportingScheduleInput } from './directive.commands';
import type { DatePeriod, DirectiveKind, Task } from './directive.events';
import {
  MAX_COORDINATING,
  MAX_MILESTONES,
  MAX_TARGETS,
  MAX_TASKS,
  headerProblems,
  scheduleProblems,
  targetListProblems,
  taskListProblems,
} from './directive.validation';
import { MAX_TEXT_LENGTH } from './field-checks';

/** The most field problems one answer lists; the count of the rest is in the message. */
const MAX_FIELDS_REPORTED = 200;

export class DirectiveImportInvalid extends ValidationError {
  constructor(fields: readonly FieldError[]) {
    const shown = fields
      .slice(0, 3)
      .map((f) => `${f.field}: ${f.message}`)
      .join('; ');
    super(
      'DIRECTIVE_IMPORT.INVALID',
      `The directive document has ${fields.length} problem(s): ${shown}${fields.length > 3 ? '; …' : ''}`,
      fields.slice(0, MAX_FIELDS_REPORTED),
    );
  }
}

/** What the document's structure must be; values are then checked by the same rules as the decider's. */
type Shape =
  'text' | 'number' | 'boolean' | 'text_or_null' | Readonly<{ list: Shape; max: number }> | Readonly<{ fields: Fields }>;
type Fields = Readonly<Record<string, Shape>>;

const MILESTONE: Shape = { fields: { from: 'text', value: 'number' } };
const TARGET: Shape = {
  fields: {
    targetId: 'text',
    code: 'text',
    title: 'text',
    shape: 'text',
    measuredAtLevel: 'text',
    unitOfMeasure: 'text',
    value: 'number',
    threshold: 'number',
    milestones: { list: MILESTONE, max: MAX_MILESTONES },
  },
};
const TASK: Shape = {
  fields: {
    taskId: 'text',
    title: 'text',
    level: 'text',
    leadUnitId: 'text',
    leadDepartment: 'text',
    coordinating: { list: 'text', max: MAX_COORDINATING },
    due: 'text',
  },
};
const SCHEDULE: Shape = {
  fields: {
    cadence: 'text',
    cutOffDay: 'number',
    dueOffsetDays: 'number',
    reminderOffsetsDays: { list: 'number', max: 20 },
    escalationSteps: { list: { fields: { afterWorkingDays: 'number', to: 'text' } }, max: 10 },
    approvalRequired: 'boolean',
  },
};
const DOCUMENT: Shape = {
  fields: {
    number: 'text',
    kind: 'text',
    title: 'text',
    issuerUnitId: 'text',
    issuingBody: 'text',
    place: 'text',
    documentDate: 'text',
    basisDirectiveId: 'text_or_null',
    inheritTargets: 'boolean',
    period: { fields: { from: 'text', to: 'text' } },
    purpose: 'text',
    targets: { list: TARGET, max: MAX_TARGETS },
    tasks: { list: TASK, max: MAX_TASKS },
    schedule: SCHEDULE,
  },
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Walks the document against its shape; absent fields pass here (required-ness is the value rules' business). */
const shapeProblems = (value: unknown, shape: Shape, path: string, out: FieldError[]): void => {
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (shape === 'text' || shape === 'text_or_null') {
    if (shape === 'text_or_null' && value === null) return;
    if (typeof value !== 'string') out.push({ field: path, message: 'must be text' });
    else if (value.length > MAX_TEXT_LENGTH) out.push({ field: path, message: `must be at most ${MAX_TEXT_LENGTH} characters` });
  } else if (shape === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) out.push({ field: path, message: 'must be a number' });
  } else if (shape === 'boolean') {
    if (typeof value !== 'boolean') out.push({ field: path, message: 'must be true or false' });
  } else if ('list' in shape) {
    if (!Array.isArray(value)) out.push({ field: path, message: 'must be a list' });
    else if (value.length > shape.max) out.push({ field: path, message: `must hold at most ${shape.max} items` });
    else value.forEach((item, i) => shapeProblems(item, shape.list, `${path}[${i}]`, out));
  } else if (!isRecord(value)) {
    out.push({ field: path === '' ? '(document)' : path, message: 'must be an object' });
  } else {
    for (const [key, item] of Object.entries(value)) {
      const fieldShape = Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined;
      if (fieldShape === undefined) out.push({ field: at(key), message: 'is not a known field' });
      else if (item !== undefined) shapeProblems(item, fieldShape, at(key), out);
    }
  }
};

/** True when `field` is `bad` itself or lies inside it (`targets[3]` covers `targets[3].value`). */
const within = (field: string, bad: string): boolean =>
  field === bad || field.startsWith(`${bad}.`) || field.startsWith(`${bad}[`);

export type ImportContext = Readonly<{
  /** The id the new directive gets (ids arrive from outside the domain). */
  directiveId: string;
  /** The importing officer's unit: the issuer, unless the document names one (it must then agree). */
  issuerUnitId?: string;
}>;

export type ImportedDirective = Readonly<{
  data: DraftDirectiveData;
  /** The document asks to inherit the basis directive's targets: load them into `data.inheritTargets`. */
  inheritTargetsFromBasis: boolean;
}>;

/**
 * Turns a parsed directive document (JSON or YAML, already a plain object) into the data of a
 * DraftDirective command, or throws DIRECTIVE_IMPORT.INVALID naming every bad field by its path,
 * e.g. `targets[3].milestones[0].from`.
 */
export const importDirective = (document: unknown, context: ImportContext): ImportedDirective => {
  const structural: FieldError[] = [];
  shapeProblems(document, DOCUMENT, '', structural);
  if (!isRecord(document)) throw new DirectiveImportInvalid(structural);
  const doc = document as Record<string, unknown> & {
    targets?: unknown[];
    tasks?: Array<Record<string, unknown>>;
    period?: { from?: string; to?: string };
    schedule?: ReportingScheduleInput;
  };

  const problems = [...structural];
  const issuerUnitId = (doc.issuerUnitId as string | undefined) ?? context.issuerUnitId;
  if (typeof doc.issuerUnitId === 'string' && context.issuerUnitId !== undefined && doc.issuerUnitId !== context.issuerUnitId)
    problems.push({ field: 'issuerUnitId', message: `names another unit than the importing one (${context.issuerUnitId})` });

  const targets = Array.isArray(doc.targets) ? (doc.targets as TargetDefinition[]) : [];
  const tasks = Array.isArray(doc.tasks)
    ? doc.tasks.map((t) => (isRecord(t) ? ({ coordinating: [], ...t } as unknown as Task) : (t as unknown as Task)))
    : [];
  const data: DraftDirectiveData = {
    directiveId: context.directiveId,
    number: doc.number as string,
    kind: doc.kind as DirectiveKind,
    title: doc.title as string,
    issuerUnitId: issuerUnitId as string,
    issuingBody: doc.issuingBody as string,
    ...(doc.place !== undefined && { place: doc.place as string }),
    documentDate: doc.documentDate as string,
    basisDirectiveId: (doc.basisDirectiveId as string | null | undefined) ?? null,
    period: (isRecord(doc.period) ? { from: doc.period.from, to: doc.period.to } : doc.period) as DatePeriod,
    ...(doc.purpose !== undefined && { purpose: doc.purpose as string }),
    targets,
    tasks,
    ...(doc.schedule !== undefined && { schedule: doc.schedule }),
  };
  const inheritTargetsFromBasis = doc.inheritTargets === true;
  if (inheritTargetsFromBasis && data.basisDirectiveId === null)
    problems.push({ field: 'inheritTargets', message: 'needs a basisDirectiveId' });

  const valueRules = [
    ...headerProblems(data),
    ...targetListProblems(targets, 'targets'),
    ...taskListProblems(tasks, 'tasks'),
    ...(isRecord(doc.schedule) ? scheduleProblems(doc.schedule, 'schedule') : []),
  ];
  const badPaths = structural.map((p) => p.field);
  for (const problem of valueRules) {
    if (!badPaths.some((bad) => within(problem.field, bad))) problems.push(problem);
  }
  if (problems.length > 0) throw new DirectiveImportInvalid(problems);
  return { data, inheritTargetsFromBasis };
};
