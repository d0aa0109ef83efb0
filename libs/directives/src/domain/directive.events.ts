import type { Event, TargetDefinition } from '@app/kernel';

export const DIRECTIVE_KINDS = ['resolution', 'plan', 'program', 'guidance'] as const;
export type DirectiveKind = (typeof DIRECTIVE_KINDS)[number];

export const CADENCES = ['monthly', 'quarterly', 'half_yearly', 'yearly', 'on_request'] as const;
export type Cadence = (typeof CADENCES)[number];

export const ESCALATION_TARGETS = ['parent', 'grandparent'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

/** ISO dates (yyyy-mm-dd), both inclusive. */
export type DatePeriod = Readonly<{ from: string; to: string }>;

export type Task = Readonly<{
  taskId: string;
  title: string;
  /** Level code the task is addressed to ("Cấp tỉnh" → "province"). */
  level?: string;
  /** Who leads (chủ trì): a unit, or a department of the issuer; at most one of the two. */
  leadUnitId?: string;
  leadDepartment?: string;
  /** Who coordinates (phối hợp): unit ids or department names. */
  coordinating: readonly string[];
  /** ISO date. */
  due?: string;
}>;

export type EscalationStep = Readonly<{ afterWorkingDays: number; to: EscalationTarget }>;

export type ReportingSchedule = Readonly<{
  cadence: Cadence;
  /** Last day of a period's data window (Decree 09/2019: the 15th of one month to the 14th of the next). */
  cutOffDay: number;
  /** Days after the cut-off by which a report is due. */
  dueOffsetDays: number;
  /** Days before the due date on which reminders go out, largest first. */
  reminderOffsetsDays: readonly number[];
  /** Working days after the due date at which an overdue report is raised, in ascending order. */
  escalationSteps: readonly EscalationStep[];
  approvalRequired: boolean;
}>;

export type DirectiveHeader = Readonly<{
  directiveId: string;
  /** Number and symbol, e.g. "11/CTr-BTV". */
  number: string;
  kind: DirectiveKind;
  title: string;
  issuerUnitId: string;
  /** e.g. "Ban Thường vụ". */
  issuingBody: string;
  place?: string;
  /** ISO date written on the document. */
  documentDate: string;
  /** The higher directive this one implements (căn cứ), when it is in the engine. */
  basisDirectiveId: string | null;
  period: DatePeriod;
  purpose?: string;
}>;

/** "Every unit of level L under unit U": how the assignee list was chosen, kept for the record. */
export type AssigneeScope = Readonly<{ level: string; underUnitId: string }>;

export type DirectiveChanges = Readonly<{
  targetsAdded?: readonly TargetDefinition[];
  /** Each replaces the target with the same targetId. */
  targetsReplaced?: readonly TargetDefinition[];
  tasksAdded?: readonly Task[];
  /** Each replaces the task with the same taskId. */
  tasksReplaced?: readonly Task[];
  schedule?: ReportingSchedule;
}>;

export type DirectiveDrafted = Event<'DirectiveDrafted', DirectiveHeader>;
export type TargetAdded = Event<
  'TargetAdded',
  {
    directiveId: string;
    target: TargetDefinition;
    /** Set when the target was inherited (and possibly tightened) from the basis directive. */
    inheritedFrom?: string;
  }
>;
export type TaskAdded = Event<'TaskAdded', { directiveId: string } & Task>;
export type ReportingScheduleSet = Event<'ReportingScheduleSet', { directiveId: string } & ReportingSchedule>;
export type DirectiveIssued = Event<
  'DirectiveIssued',
  {
    directiveId: string;
    signedBy: string;
    /** ISO instant, from the command's metadata. */
    issuedAt: string;
    assigneeUnitIds: readonly string[];
    scope?: AssigneeScope;
  }
>;
export type DirectiveAmended = Event<'DirectiveAmended', { directiveId: string; changes: DirectiveChanges; reason: string }>;
export type DirectiveClosed = Event<'DirectiveClosed', { directiveId: string; reason?: string }>;

/** When a period's follow-ups fire, fixed when the period opens: a later schedule change leaves them alone. */
export type PeriodDeadlines = Readonly<{
  /** Reminders in time order; `at` is an ISO instant. */
  reminders: readonly Readonly<{ step: number; daysBefore: number; at: string }>[];
  /** Escalation steps in time order; `at` is an ISO instant. */
  escalations: readonly Readonly<{ step: number; afterWorkingDays: number; to: EscalationTarget; at: string }>[];
}>;

/**
 * A reporting period of the directive opened: on schedule (the period-opener timer) or on request
 * (an ad hoc report). The period opener saga then opens one obligation per current assignee.
 */
export type ReportingPeriodOpened = Event<
  'ReportingPeriodOpened',
  {
    directiveId: string;
    period: string;
    window: DatePeriod;
    /** ISO instant with its offset. */
    due: string;
    deadlines: PeriodDeadlines;
    openedBy: 'schedule' | 'request';
  }
>;

export type DirectiveEvent =
  | DirectiveDrafted
  | TargetAdded
  | TaskAdded
  | ReportingScheduleSet
  | DirectiveIssued
  | DirectiveAmended
  | DirectiveClosed
  | ReportingPeriodOpened;
