import { type Actor, type Decider, type FieldError, assertNever } from '@app/kernel';
import type {
  ApproveReport,
  CorrectReport,
  IssueReminder,
  MarkOverdue,
  OpenObligation,
  RaiseEscalation,
  ReportCommand,
  ReportRef,
  ReturnReport,
  SubmitReport,
  WaiveObligation,
} from './report.commands';
import {
  ApprovalNotRequired,
  ReportAlreadyApproved,
  ReportAlreadySubmitted,
  ReportInvalid,
  ReportNotApproved,
  ReportNotOpen,
  ReportNotReviewer,
  ReportNotSubmitted,
  ReportNotYetDue,
  ReportReasonRequired,
  ReportVersionMismatch,
  ReportWaived,
  ReportWrongUnit,
} from './report.errors';
import type { EscalationResolved, EscalationStatus, Obligation, ReportEvent } from './report.events';
import {
  daysProblems,
  isNonBlank,
  narrativeProblems,
  obligationProblems,
  reasonProblems,
  stepProblems,
  valuesProblems,
} from './report.validation';

/** Reminders, lateness and escalations: they run beside the review status, not inside it. */
export type FollowUp = Readonly<{
  overdue: boolean;
  remindersIssued: readonly number[];
  escalationsRaised: readonly number[];
  openEscalations: readonly EscalationStatus[];
}>;

type Common = Readonly<{
  obligation: Obligation;
  followUp: FollowUp;
  /** Last version written; 0 before any. */
  version: number;
  /** Whether the last submission came by the due date; null before any. */
  onTime: boolean | null;
}>;

export type ReportState =
  | Readonly<{ status: 'none' }>
  | (Readonly<{ status: 'open' }> & Common)
  | (Readonly<{ status: 'submitted' }> & Common)
  | (Readonly<{ status: 'returned'; reason: string }> & Common)
  | (Readonly<{ status: 'approved' }> & Common)
  | (Readonly<{ status: 'waived'; reason: string }> & Common);

type Existing = Exclude<ReportState, { status: 'none' }>;

export const initialReportState = (): ReportState => ({ status: 'none' });

const common = ({ obligation, followUp, version, onTime }: Existing): Common => ({ obligation, followUp, version, onTime });

const withFollowUp = (state: ReportState, change: (f: FollowUp) => FollowUp): ReportState =>
  state.status === 'none' ? state : { ...state, followUp: change(state.followUp) };

export const evolveReport = (state: ReportState, event: ReportEvent): ReportState => {
  switch (event.type) {
    case 'ReportingObligationOpened':
      return {
        status: 'open',
        obligation: event.data,
        version: 0,
        onTime: null,
        followUp: { overdue: false, remindersIssued: [], escalationsRaised: [], openEscalations: [] },
      };
    case 'ReportSubmitted':
      return state.status === 'none'
        ? state
        : { ...common(state), status: 'submitted', version: event.data.version, onTime: event.data.onTime };
    case 'ReportReturned':
      return state.status === 'none' ? state : { ...common(state), status: 'returned', reason: event.data.reason };
    case 'ReportApproved':
      return state.status === 'none' ? state : { ...common(state), status: 'approved' };
    case 'ReportCorrected':
      // A correction is submitted again: it awaits approval when approval is required.
      return state.status === 'none' ? state : { ...common(state), status: 'submitted', version: event.data.version };
    case 'ObligationWaived':
      return state.status === 'none' ? state : { ...common(state), status: 'waived', reason: event.data.reason };
    case 'ReminderIssued':
      return withFollowUp(state, (f) => ({ ...f, remindersIssued: [...f.remindersIssued, event.data.step] }));
    case 'ReportOverdue':
      return withFollowUp(state, (f) => ({ ...f, overdue: true }));
    case 'EscalationRaised':
      return withFollowUp(state, (f) => ({
        ...f,
        escalationsRaised: [...f.escalationsRaised, event.data.step],
        openEscalations: [...f.openEscalations, { toUnitId: event.data.toUnitId, step: event.data.step }],
      }));
    case 'EscalationResolved':
      return withFollowUp(state, (f) => ({ ...f, openEscalations: f.openEscalations.filter((e) => e.step !== event.data.step) }));
    default:
      return assertNever(event);
  }
};

const refOf = ({ directiveId, unitId, period }: ReportRef): ReportRef => ({ directiveId, unitId, period });
const isSystem = (actor: Actor): boolean => actor.userId.startsWith('system:');

const requireObligation = (state: ReportState, ref: ReportRef): Existing => {
  if (state.status === 'none') throw new ReportNotOpen(refOf(ref));
  return state;
};

const requireUnit = (state: Existing, actor: Actor, ref: ReportRef): void => {
  if (actor.unitId !== state.obligation.unitId) throw new ReportWrongUnit(refOf(ref), actor.unitId);
};

const requireReviewer = (state: Existing, actor: Actor, ref: ReportRef, orSystem = false): void => {
  if (orSystem && isSystem(actor)) return;
  if (actor.unitId !== state.obligation.reviewerUnitId)
    throw new ReportNotReviewer(refOf(ref), state.obligation.reviewerUnitId, actor.unitId);
};

const requireReason = (reason: unknown): void => {
  if (!isNonBlank(reason)) throw new ReportReasonRequired();
  throwIfAny(reasonProblems(reason));
};

const throwIfAny = (problems: readonly FieldError[]): void => {
  if (problems.length > 0) throw new ReportInvalid(problems);
};

const requireVersion = (state: Existing, version: number | undefined, ref: ReportRef): void => {
  if (version !== undefined && version !== state.version) throw new ReportVersionMismatch(refOf(ref), version, state.version);
};

/** Whether the report is still awaited: reminders, overdue marks and escalations apply only then. */
const isAwaited = (state: Existing): boolean => state.status === 'open' || state.status === 'returned';

const resolveEscalations = (state: Existing, by: EscalationResolved['data']['by']): EscalationResolved[] =>
  state.followUp.openEscalations.map((e) => ({ type: 'EscalationResolved', data: { toUnitId: e.toUnitId, step: e.step, by } }));

const isDue = (state: Existing, now: Date): boolean => now.getTime() >= Date.parse(state.obligation.due);

const openObligation = ({ data }: OpenObligation, state: ReportState): ReportEvent[] => {
  if (state.status !== 'none') return [];
  throwIfAny(obligationProblems(data));
  const { directiveId, unitId, period, window, due, targets, approvalRequired, reviewerUnitId, unitLevel, ancestorUnitIds } =
    data;
  const { followUps } = data;
  return [
    {
      type: 'ReportingObligationOpened',
      data: {
        directiveId,
        unitId,
        period,
        window: { from: window.from, to: window.to },
        due,
        targets,
        approvalRequired,
        reviewerUnitId,
        ...(unitLevel !== undefined ? { unitLevel } : {}),
        ...(ancestorUnitIds !== undefined ? { ancestorUnitIds: [...ancestorUnitIds] } : {}),
        ...(followUps !== undefined && {
          followUps: {
            reminders: followUps.reminders.map(({ step, daysBefore, at }) => ({ step, daysBefore, at })),
            escalations: followUps.escalations.map(({ step, toUnitId, at }) => ({ step, toUnitId, at })),
          },
        }),
      },
    },
  ];
};

const submitReport = ({ data, metadata }: SubmitReport, state: ReportState): ReportEvent[] => {
  const current = requireObligation(state, data);
  requireUnit(current, metadata.actor, data);
  switch (current.status) {
    case 'open':
    case 'returned':
      break;
    case 'submitted':
      throw new ReportAlreadySubmitted(refOf(data));
    case 'approved':
      throw new ReportAlreadyApproved(refOf(data));
    case 'waived':
      throw new ReportWaived(refOf(data));
    default:
      return assertNever(current);
  }
  throwIfAny([...valuesProblems(current.obligation.targets, data.values), ...narrativeProblems(data.narrative)]);
  const { results, difficulties, proposals } = data.narrative;
  return [
    {
      type: 'ReportSubmitted',
      data: {
        version: current.version + 1,
        values: data.values,
        narrative: { results, difficulties, proposals },
        submittedAt: metadata.now.toISOString(),
        onTime: metadata.now.getTime() <= Date.parse(current.obligation.due),
      },
    },
    ...resolveEscalations(current, 'submission'),
  ];
};

/** Only a submitted report is reviewed; the refusal says why another one is not. */
const requireSubmitted = (state: Existing, ref: ReportRef): void => {
  switch (state.status) {
    case 'submitted':
      return;
    case 'open':
    case 'returned':
      throw new ReportNotSubmitted(refOf(ref));
    case 'approved':
      throw new ReportAlreadyApproved(refOf(ref));
    case 'waived':
      throw new ReportWaived(refOf(ref));
    default:
      return assertNever(state);
  }
};

const returnReport = ({ data, metadata }: ReturnReport, state: ReportState): ReportEvent[] => {
  const current = requireObligation(state, data);
  requireReviewer(current, metadata.actor, data);
  requireSubmitted(current, data);
  requireVersion(current, data.version, data);
  requireReason(data.reason);
  return [{ type: 'ReportReturned', data: { version: current.version, reason: data.reason } }];
};

/** Approving the approved version again (a double click) is a no-op. */
const approveReport = ({ data, metadata }: ApproveReport, state: ReportState): ReportEvent[] => {
  const current = requireObligation(state, data);
  requireReviewer(current, metadata.actor, data);
  if (!current.obligation.approvalRequired) throw new ApprovalNotRequired(refOf(data));
  requireVersion(current, data.version, data);
  if (current.status === 'approved') return [];
  requireSubmitted(current, data);
  return [{ type: 'ReportApproved', data: { version: current.version } }];
};

const correctReport = ({ data, metadata }: CorrectReport, state: ReportState): ReportEvent[] => {
  const current = requireObligation(state, data);
  requireUnit(current, metadata.actor, data);
  switch (current.status) {
    case 'approved':
      break;
    case 'submitted':
      if (current.obligation.approvalRequired) throw new ReportNotApproved(refOf(data));
      break;
    case 'open':
    case 'returned':
      throw new ReportNotApproved(refOf(data));
    case 'waived':
      throw new ReportWaived(refOf(data));
    default:
      return assertNever(current);
  }
  requireReason(data.reason);
  throwIfAny([
    ...valuesProblems(current.obligation.targets, data.values),
    ...(data.narrative === undefined ? [] : narrativeProblems(data.narrative)),
  ]);
  return [
    {
      type: 'ReportCorrected',
      data: {
        version: current.version + 1,
        values: data.values,
        ...(data.narrative && {
          narrative: {
            results: data.narrative.results,
            difficulties: data.narrative.difficulties,
            proposals: data.narrative.proposals,
          },
        }),
        reason: data.reason,
      },
    },
  ];
};

const waiveObligation = ({ data, metadata }: WaiveObligation, state: ReportState): ReportEvent[] => {
  const current = requireObligation(state, data);
  requireReviewer(current, metadata.actor, data, true);
  switch (current.status) {
    case 'open':
    case 'returned':
      break;
    case 'waived':
      return [];
    case 'submitted':
      throw new ReportAlreadySubmitted(refOf(data));
    case 'approved':
      throw new ReportAlreadyApproved(refOf(data));
    default:
      return assertNever(current);
  }
  requireReason(data.reason);
  return [{ type: 'ObligationWaived', data: { reason: data.reason } }, ...resolveEscalations(current, 'waiver')];
};

/** A reminder that comes due after the deadline (a worker down for days) says nothing the overdue mark does not. */
const issueReminder = ({ data, metadata }: IssueReminder, state: ReportState): ReportEvent[] => {
  const current = requireObligation(state, data);
  throwIfAny([...stepProblems(data.step), ...daysProblems(data.daysBefore)]);
  if (!isAwaited(current) || current.followUp.overdue || current.followUp.remindersIssued.includes(data.step)) return [];
  if (isDue(current, metadata.now)) return [];
  return [{ type: 'ReminderIssued', data: { step: data.step, daysBefore: data.daysBefore } }];
};

const markOverdue = ({ data, metadata }: MarkOverdue, state: ReportState): ReportEvent[] => {
  const current = requireObligation(state, data);
  if (!isAwaited(current) || current.followUp.overdue) return [];
  if (!isDue(current, metadata.now)) throw new ReportNotYetDue(refOf(data), current.obligation.due);
  return [{ type: 'ReportOverdue', data: { due: current.obligation.due } }];
};

/** An escalation fires after the due date; if the overdue mark has not landed yet, it is written first. */
const raiseEscalation = ({ data, metadata }: RaiseEscalation, state: ReportState): ReportEvent[] => {
  const current = requireObligation(state, data);
  const problems = stepProblems(data.step);
  if (!isNonBlank(data.toUnitId)) problems.push({ field: 'toUnitId', message: 'is required' });
  throwIfAny(problems);
  if (!isAwaited(current) || current.followUp.escalationsRaised.includes(data.step)) return [];
  if (!isDue(current, metadata.now)) throw new ReportNotYetDue(refOf(data), current.obligation.due);
  return [
    ...(current.followUp.overdue ? [] : [{ type: 'ReportOverdue' as const, data: { due: current.obligation.due } }]),
    { type: 'EscalationRaised', data: { toUnitId: data.toUnitId, step: data.step } },
  ];
};

export const decideReport = (command: ReportCommand, state: ReportState): ReportEvent[] => {
  switch (command.type) {
    case 'OpenObligation':
      return openObligation(command, state);
    case 'SubmitReport':
      return submitReport(command, state);
    case 'ReturnReport':
      return returnReport(command, state);
    case 'ApproveReport':
      return approveReport(command, state);
    case 'CorrectReport':
      return correctReport(command, state);
    case 'WaiveObligation':
      return waiveObligation(command, state);
    case 'IssueReminder':
      return issueReminder(command, state);
    case 'MarkOverdue':
      return markOverdue(command, state);
    case 'RaiseEscalation':
      return raiseEscalation(command, state);
    default:
      return assertNever(command);
  }
};

export const reportDecider: Decider<ReportCommand, ReportEvent, ReportState> = {
  initialState: initialReportState,
  evolve: evolveReport,
  decide: decideReport,
};
