import type { Command, TargetDefinition } from '@app/kernel';
import type { AssigneeScope, Cadence, DirectiveHeader, EscalationStep, ReportingPeriodOpened, Task } from './directive.events';

/** A schedule as given: anything left out takes its default (see `resolveSchedule`). */
export type ReportingScheduleInput = Readonly<{
  cadence: Cadence;
  cutOffDay?: number;
  dueOffsetDays?: number;
  reminderOffsetsDays?: readonly number[];
  escalationSteps?: readonly EscalationStep[];
  approvalRequired?: boolean;
}>;

/** Look-up the handler loads from the basis directive's stream before deciding. */
export type BasisTargets = Readonly<{ directiveId: string; targets: readonly TargetDefinition[] }>;

export type DraftDirectiveData = DirectiveHeader &
  Readonly<{
    targets?: readonly TargetDefinition[];
    tasks?: readonly Task[];
    schedule?: ReportingScheduleInput;
    /**
     * Look-up, for an implementing directive: the basis directive's targets. Each is copied in,
     * unless `targets` holds one with the same targetId, which must then be at least as strict.
     */
    inheritTargets?: BasisTargets;
  }>;

export type DraftDirective = Command<'DraftDirective', DraftDirectiveData>;
export type AddTarget = Command<'AddTarget', { directiveId: string; target: TargetDefinition }>;
export type AddTask = Command<'AddTask', { directiveId: string; task: Task }>;
export type SetReportingSchedule = Command<'SetReportingSchedule', { directiveId: string; schedule: ReportingScheduleInput }>;
export type IssueDirective = Command<
  'IssueDirective',
  {
    directiveId: string;
    signedBy: string;
    /** Resolved by the handler before deciding (a scope is expanded into units here). */
    assigneeUnitIds: readonly string[];
    scope?: AssigneeScope;
    /** Look-up: the ancestors (any order) of every assignee, from the unit tree valid at issue time. */
    assigneeAncestry: Readonly<Record<string, readonly string[]>>;
  }
>;
export type AmendDirective = Command<
  'AmendDirective',
  {
    directiveId: string;
    changes: Readonly<{
      targetsAdded?: readonly TargetDefinition[];
      targetsReplaced?: readonly TargetDefinition[];
      tasksAdded?: readonly Task[];
      tasksReplaced?: readonly Task[];
      schedule?: ReportingScheduleInput;
    }>;
    reason: string;
    /** Look-up, for an implementing directive: the basis targets that replaced ones must not fall below. */
    basisTargets?: BasisTargets;
  }
>;
export type CloseDirective = Command<'CloseDirective', { directiveId: string; reason?: string }>;

export type OpenReportingPeriod = Command<'OpenReportingPeriod', ReportingPeriodOpened['data']>;

export type DirectiveCommand =
  | DraftDirective
  | AddTarget
  | AddTask
  | SetReportingSchedule
  | IssueDirective
  | AmendDirective
  | CloseDirective
  | OpenReportingPeriod;
