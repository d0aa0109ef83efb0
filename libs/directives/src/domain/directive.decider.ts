import { type Decider, type FieldError, type TargetDefinition, assertNever } from '@app/kernel';
import type {
  AddTarget,
  AddTask,
  AmendDirective,
  CloseDirective,
  DirectiveCommand,
  DraftDirective,
  IssueDirective,
  OpenReportingPeriod,
  SetReportingSchedule,
} from './directive.commands';
import {
  AmendReasonRequired,
  AssigneeOutsideSubtree,
  DirectiveAlreadyDrafted,
  DirectiveClosedError,
  DirectiveInvalid,
  DirectiveNotDraft,
  DirectiveNotFound,
  DirectiveNotIssued,
  NoAssignees,
  NothingToAmend,
  PeriodNeedsIssuedDirective,
  TargetLooserThanBasis,
} from './directive.errors';
import type {
  DirectiveChanges,
  DirectiveEvent,
  DirectiveHeader,
  ReportingSchedule,
  Task,
  TargetAdded,
  TaskAdded,
} from './directive.events';
import {
  headerProblems,
  loosenings,
  periodOpeningProblems,
  resolveSchedule,
  scheduleProblems,
  targetListProblems,
  targetProblems,
  taskListProblems,
  taskProblems,
} from './directive.validation';
import { FieldProblems } from './field-checks';

type Content = Readonly<{
  header: DirectiveHeader;
  targets: readonly TargetDefinition[];
  tasks: readonly Task[];
  schedule: ReportingSchedule | null;
  /** Targets copied from the basis directive: replacing one needs the basis at hand. */
  inheritedTargetIds: readonly string[];
}>;

export type DirectiveState =
  | Readonly<{ status: 'none' }>
  | (Readonly<{ status: 'draft' }> & Content)
  | (Readonly<{
      status: 'issued';
      signedBy: string;
      issuedAt: string;
      assigneeUnitIds: readonly string[];
      /** Periods opened so far, in the order they opened. */
      openedPeriods: readonly string[];
    }> &
      Content)
  | Readonly<{ status: 'closed'; header: DirectiveHeader }>;

export const initialDirectiveState = (): DirectiveState => ({ status: 'none' });

const replaceById = <T, K extends keyof T>(items: readonly T[], replacements: readonly T[], key: K): T[] => {
  const byId = new Map(replacements.map((r) => [r[key], r]));
  return items.map((item) => byId.get(item[key]) ?? item);
};

const applyChanges = <S extends Content>(state: S, changes: DirectiveChanges): S => ({
  ...state,
  targets: [...replaceById(state.targets, changes.targetsReplaced ?? [], 'targetId'), ...(changes.targetsAdded ?? [])],
  tasks: [...replaceById(state.tasks, changes.tasksReplaced ?? [], 'taskId'), ...(changes.tasksAdded ?? [])],
  schedule: changes.schedule ?? state.schedule,
});

const taskOf = ({ directiveId: _, ...task }: TaskAdded['data']): Task => task;

export const evolveDirective = (state: DirectiveState, event: DirectiveEvent): DirectiveState => {
  switch (event.type) {
    case 'DirectiveDrafted':
      return { status: 'draft', header: event.data, targets: [], tasks: [], schedule: null, inheritedTargetIds: [] };
    case 'TargetAdded':
      if (state.status !== 'draft') return state;
      return {
        ...state,
        targets: [...state.targets, event.data.target],
        inheritedTargetIds: event.data.inheritedFrom
          ? [...state.inheritedTargetIds, event.data.target.targetId]
          : state.inheritedTargetIds,
      };
    case 'TaskAdded':
      return state.status === 'draft' ? { ...state, tasks: [...state.tasks, taskOf(event.data)] } : state;
    case 'ReportingScheduleSet': {
      if (state.status !== 'draft') return state;
      const { directiveId: _, ...schedule } = event.data;
      return { ...state, schedule };
    }
    case 'DirectiveIssued':
      if (state.status !== 'draft') return state;
      return {
        ...state,
        status: 'issued',
        signedBy: event.data.signedBy,
        issuedAt: event.data.issuedAt,
        assigneeUnitIds: event.data.assigneeUnitIds,
        openedPeriods: [],
      };
    case 'DirectiveAmended':
      return state.status === 'issued' ? applyChanges(state, event.data.changes) : state;
    case 'DirectiveClosed':
      return state.status === 'none' ? state : { status: 'closed', header: state.header };
    case 'ReportingPeriodOpened':
      return state.status === 'issued' ? { ...state, openedPeriods: [...state.openedPeriods, event.data.period] } : state;
    default:
      return assertNever(event);
  }
};

/** The header fields of a DraftDirective, with absent optional fields left out rather than set to undefined. */
const headerOf = (data: DraftDirective['data']): DirectiveHeader => ({
  directiveId: data.directiveId,
  number: data.number,
  kind: data.kind,
  title: data.title,
  issuerUnitId: data.issuerUnitId,
  issuingBody: data.issuingBody,
  ...(data.place !== undefined && { place: data.place }),
  documentDate: data.documentDate,
  basisDirectiveId: data.basisDirectiveId,
  period: data.period && { from: data.period.from, to: data.period.to },
  ...(data.purpose !== undefined && { purpose: data.purpose }),
});

const throwIfAny = (problems: readonly FieldError[]): void => {
  if (problems.length > 0) throw new DirectiveInvalid(problems);
};

const draftDirective = (command: DraftDirective, state: DirectiveState): DirectiveEvent[] => {
  const { data } = command;
  if (state.status !== 'none') throw new DirectiveAlreadyDrafted(data.directiveId);
  const header = headerOf(data);
  const own = data.targets ?? [];
  const tasks = data.tasks ?? [];
  const basis = data.inheritTargets;
  const p = new FieldProblems();
  p.addAll(headerProblems(header));
  if (basis) {
    if (header.basisDirectiveId === null) p.add('inheritTargets', 'needs a basisDirectiveId');
    else if (basis.directiveId !== header.basisDirectiveId)
      p.add('inheritTargets.directiveId', `must be the basis directive ${header.basisDirectiveId}`);
  }
  const ownIds = new Set(own.map((t) => t?.targetId));
  const inheritedAsIs = (basis?.targets ?? []).filter((t) => !ownIds.has(t.targetId));
  p.addAll(targetListProblems(own, 'targets', inheritedAsIs));
  p.addAll(taskListProblems(tasks, 'tasks'));
  if (data.schedule !== undefined) p.addAll(scheduleProblems(data.schedule, 'schedule'));
  throwIfAny(p.list);

  const basisById = new Map((basis?.targets ?? []).map((t) => [t.targetId, t]));
  const looser = own.flatMap((t, i) => {
    const parent = basisById.get(t.targetId);
    return parent ? loosenings(t, parent, `targets[${i}]`) : [];
  });
  if (looser.length > 0) throw new TargetLooserThanBasis(looser);

  const { directiveId } = header;
  const inheritedFrom = basis?.directiveId ?? '';
  const ownById = new Map(own.map((t) => [t.targetId, t]));
  const targetEvents: TargetAdded[] = [
    ...(basis?.targets ?? []).map((t): TargetAdded => ({
      type: 'TargetAdded',
      data: { directiveId, target: ownById.get(t.targetId) ?? t, inheritedFrom },
    })),
    ...own
      .filter((t) => !basisById.has(t.targetId))
      .map((target): TargetAdded => ({ type: 'TargetAdded', data: { directiveId, target } })),
  ];
  return [
    { type: 'DirectiveDrafted', data: header },
    ...targetEvents,
    ...tasks.map((task): TaskAdded => ({ type: 'TaskAdded', data: { directiveId, ...task } })),
    ...(data.schedule
      ? [{ type: 'ReportingScheduleSet' as const, data: { directiveId, ...resolveSchedule(data.schedule) } }]
      : []),
  ];
};

type Draft = Extract<DirectiveState, { status: 'draft' }>;

const requireDraft = (state: DirectiveState, directiveId: string): Draft => {
  switch (state.status) {
    case 'none':
      throw new DirectiveNotFound(directiveId);
    case 'draft':
      return state;
    case 'issued':
      throw new DirectiveNotDraft(directiveId);
    case 'closed':
      throw new DirectiveClosedError(directiveId);
    default:
      return assertNever(state);
  }
};

const addTarget = ({ data }: AddTarget, state: DirectiveState): DirectiveEvent[] => {
  const draft = requireDraft(state, data.directiveId);
  throwIfAny(targetListProblems([data.target], () => 'target', draft.targets));
  return [{ type: 'TargetAdded', data: { directiveId: data.directiveId, target: data.target } }];
};

const addTask = ({ data }: AddTask, state: DirectiveState): DirectiveEvent[] => {
  const draft = requireDraft(state, data.directiveId);
  throwIfAny(taskListProblems([data.task], () => 'task', draft.tasks));
  return [{ type: 'TaskAdded', data: { directiveId: data.directiveId, ...data.task } }];
};

const setReportingSchedule = ({ data }: SetReportingSchedule, state: DirectiveState): DirectiveEvent[] => {
  requireDraft(state, data.directiveId);
  throwIfAny(scheduleProblems(data.schedule, 'schedule'));
  return [{ type: 'ReportingScheduleSet', data: { directiveId: data.directiveId, ...resolveSchedule(data.schedule) } }];
};

/** Linear in the number of assignees: one hash look-up and a scan of at most a handful of ancestors each. */
const issueDirective = ({ data, metadata }: IssueDirective, state: DirectiveState): DirectiveEvent[] => {
  const draft = requireDraft(state, data.directiveId);
  const p = new FieldProblems();
  p.text(data.signedBy, 'signedBy');
  if (data.scope !== undefined) {
    p.text(data.scope?.level, 'scope.level');
    p.text(data.scope?.underUnitId, 'scope.underUnitId');
  }
  if (!Array.isArray(data.assigneeUnitIds)) {
    p.add('assigneeUnitIds', 'must be a list of unit ids');
    throwIfAny(p.list);
  }
  if (data.assigneeUnitIds.length === 0) throw new NoAssignees();

  const issuer = draft.header.issuerUnitId;
  const seen = new Set<string>();
  const outside: FieldError[] = [];
  data.assigneeUnitIds.forEach((unitId, i) => {
    const field = `assigneeUnitIds[${i}]`;
    if (typeof unitId !== 'string' || unitId.length === 0) p.add(field, 'must be a unit id');
    else if (seen.has(unitId)) p.add(field, `"${unitId}" is repeated`);
    seen.add(unitId);
    const ancestry = Object.hasOwn(data.assigneeAncestry ?? {}, unitId) ? data.assigneeAncestry[unitId] : undefined;
    if (!ancestry) outside.push({ field, message: `unit "${unitId}" is not in the unit tree` });
    else if (!ancestry.includes(issuer)) outside.push({ field, message: `unit "${unitId}" is not below the issuer "${issuer}"` });
  });
  throwIfAny(p.list);
  if (outside.length > 0) throw new AssigneeOutsideSubtree(outside);
  return [
    {
      type: 'DirectiveIssued',
      data: {
        directiveId: data.directiveId,
        signedBy: data.signedBy,
        issuedAt: metadata.now.toISOString(),
        assigneeUnitIds: data.assigneeUnitIds,
        ...(data.scope && { scope: { level: data.scope.level, underUnitId: data.scope.underUnitId } }),
      },
    },
  ];
};

type Issued = Extract<DirectiveState, { status: 'issued' }>;

const requireIssued = (state: DirectiveState, directiveId: string): Issued => {
  switch (state.status) {
    case 'none':
      throw new DirectiveNotFound(directiveId);
    case 'draft':
      throw new DirectiveNotIssued(directiveId);
    case 'issued':
      return state;
    case 'closed':
      throw new DirectiveClosedError(directiveId);
    default:
      return assertNever(state);
  }
};

const isEmpty = (list: readonly unknown[] | undefined): boolean => list === undefined || list.length === 0;

/** Replacements must name existing items, once each; their codes must stay unique among all targets. */
const replacementProblems = <T>(
  replaced: readonly T[],
  current: readonly T[],
  idOf: (item: T) => string,
  field: string,
): FieldError[] => {
  const currentIds = new Set(current.map(idOf));
  const seen = new Set<string>();
  return replaced.flatMap((item, i) => {
    const id = idOf(item);
    if (!currentIds.has(id)) return [{ field: `${field}[${i}]`, message: `there is no "${id}" to replace` }];
    if (seen.has(id)) return [{ field: `${field}[${i}]`, message: `"${id}" is replaced twice` }];
    seen.add(id);
    return [];
  });
};

const amendDirective = ({ data }: AmendDirective, state: DirectiveState): DirectiveEvent[] => {
  const issued = requireIssued(state, data.directiveId);
  if (typeof data.reason !== 'string' || data.reason.trim() === '') throw new AmendReasonRequired();
  const changes = data.changes ?? {};
  const { targetsAdded = [], targetsReplaced = [], tasksAdded = [], tasksReplaced = [] } = changes;
  if ([targetsAdded, targetsReplaced, tasksAdded, tasksReplaced].every(isEmpty) && changes.schedule === undefined)
    throw new NothingToAmend();

  const p = new FieldProblems();
  p.text(data.reason, 'reason');
  const replacedIds = new Set(targetsReplaced.map((t) => t.targetId));
  const targetsAfter = [...issued.targets.filter((t) => !replacedIds.has(t.targetId)), ...targetsReplaced];
  p.addAll(replacementProblems(targetsReplaced, issued.targets, (t) => t.targetId, 'changes.targetsReplaced'));
  p.addAll(targetsReplaced.flatMap((t, i) => targetProblems(t, `changes.targetsReplaced[${i}]`)));
  p.addAll(targetListProblems(targetsAdded, 'changes.targetsAdded', targetsAfter));
  const codes = new Map(issued.targets.filter((t) => !replacedIds.has(t.targetId)).map((t) => [t.code, t.targetId]));
  targetsReplaced.forEach((t, i) => {
    if (codes.has(t.code)) p.add(`changes.targetsReplaced[${i}].code`, `"${t.code}" is already used`);
    codes.set(t.code, t.targetId);
  });
  const replacedTaskIds = new Set(tasksReplaced.map((t) => t.taskId));
  p.addAll(replacementProblems(tasksReplaced, issued.tasks, (t) => t.taskId, 'changes.tasksReplaced'));
  p.addAll(tasksReplaced.flatMap((t, i) => taskProblems(t, `changes.tasksReplaced[${i}]`)));
  p.addAll(
    taskListProblems(tasksAdded, 'changes.tasksAdded', [
      ...issued.tasks.filter((t) => !replacedTaskIds.has(t.taskId)),
      ...tasksReplaced,
    ]),
  );
  if (changes.schedule !== undefined) p.addAll(scheduleProblems(changes.schedule, 'changes.schedule'));

  const inherited = new Set(issued.inheritedTargetIds);
  const basis = data.basisTargets;
  if (targetsReplaced.some((t) => inherited.has(t.targetId))) {
    if (!basis) p.add('basisTargets', 'the basis targets are needed to replace an inherited target');
    else if (basis.directiveId !== issued.header.basisDirectiveId)
      p.add('basisTargets.directiveId', `must be the basis directive ${issued.header.basisDirectiveId}`);
  }
  throwIfAny(p.list);

  const basisById = new Map((basis?.targets ?? []).map((t) => [t.targetId, t]));
  const looser = targetsReplaced.flatMap((t, i) => {
    const parent = inherited.has(t.targetId) ? basisById.get(t.targetId) : undefined;
    return parent ? loosenings(t, parent, `changes.targetsReplaced[${i}]`) : [];
  });
  if (looser.length > 0) throw new TargetLooserThanBasis(looser);

  const resolved: DirectiveChanges = {
    ...(targetsAdded.length > 0 && { targetsAdded }),
    ...(targetsReplaced.length > 0 && { targetsReplaced }),
    ...(tasksAdded.length > 0 && { tasksAdded }),
    ...(tasksReplaced.length > 0 && { tasksReplaced }),
    ...(changes.schedule !== undefined && { schedule: resolveSchedule(changes.schedule, issued.schedule) }),
  };
  return [{ type: 'DirectiveAmended', data: { directiveId: data.directiveId, changes: resolved, reason: data.reason } }];
};

const closeDirective = ({ data }: CloseDirective, state: DirectiveState): DirectiveEvent[] => {
  if (state.status === 'none') throw new DirectiveNotFound(data.directiveId);
  if (state.status === 'closed') return [];
  const p = new FieldProblems();
  p.optionalText(data.reason, 'reason');
  throwIfAny(p.list);
  return [
    {
      type: 'DirectiveClosed',
      data: { directiveId: data.directiveId, ...(data.reason !== undefined && { reason: data.reason }) },
    },
  ];
};

/** Opening a period twice writes nothing: the schedule's timer and an ad hoc request may meet. */
const openReportingPeriod = ({ data }: OpenReportingPeriod, state: DirectiveState): DirectiveEvent[] => {
  if (state.status === 'none') throw new DirectiveNotFound(data.directiveId);
  if (state.status === 'closed') throw new DirectiveClosedError(data.directiveId);
  if (state.status === 'draft') throw new PeriodNeedsIssuedDirective(data.directiveId);
  if (state.openedPeriods.includes(data.period)) return [];
  throwIfAny(periodOpeningProblems(data));
  const { directiveId, period, window, due, deadlines, openedBy } = data;
  return [
    {
      type: 'ReportingPeriodOpened',
      data: {
        directiveId,
        period,
        window: { from: window.from, to: window.to },
        due,
        deadlines: {
          reminders: deadlines.reminders.map(({ step, daysBefore, at }) => ({ step, daysBefore, at })),
          escalations: deadlines.escalations.map(({ step, afterWorkingDays, to, at }) => ({ step, afterWorkingDays, to, at })),
        },
        openedBy,
      },
    },
  ];
};

export const decideDirective = (command: DirectiveCommand, state: DirectiveState): DirectiveEvent[] => {
  switch (command.type) {
    case 'DraftDirective':
      return draftDirective(command, state);
    case 'AddTarget':
      return addTarget(command, state);
    case 'AddTask':
      return addTask(command, state);
    case 'SetReportingSchedule':
      return setReportingSchedule(command, state);
    case 'IssueDirective':
      return issueDirective(command, state);
    case 'AmendDirective':
      return amendDirective(command, state);
    case 'CloseDirective':
      return closeDirective(command, state);
    case 'OpenReportingPeriod':
      return openReportingPeriod(command, state);
    default:
      return assertNever(command);
  }
};

export const directiveDecider: Decider<DirectiveCommand, DirectiveEvent, DirectiveState> = {
  initialState: initialDirectiveState,
  evolve: evolveDirective,
  decide: decideDirective,
};
