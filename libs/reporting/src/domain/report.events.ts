import type { Event, ReportedValue, TargetDefinition } from '@app/kernel';

/** The data window a report covers: ISO dates, both inclusive (by default the 15th to the 14th). */
export type ReportWindow = Readonly<{ from: string; to: string }>;

/** kết quả / khó khăn, hạn chế / kiến nghị, đề xuất. Empty text is allowed; absent is not. */
export type Narrative = Readonly<{ results: string; difficulties: string; proposals: string }>;

/** Values keyed by targetId. */
export type ReportValues = Readonly<Record<string, ReportedValue>>;

export type Obligation = Readonly<{
  directiveId: string;
  unitId: string;
  /** `2026` (year), `2026-H1` (half), `2026-Q2` (quarter), `2026-03` (month), `2026-R1` (first ad-hoc request). */
  period: string;
  window: ReportWindow;
  /** ISO instant by which the report is due. */
  due: string;
  /** The targets this unit reports on, as they stood when the obligation opened. */
  targets: readonly TargetDefinition[];
  approvalRequired: boolean;
  reviewerUnitId: string;
  /**
   * The unit's level and its ancestors (nearest first) when the obligation opened. Roll-ups count
   * the report where the unit stood then, so a later move or merge does not rewrite past totals.
   */
  unitLevel?: string;
  ancestorUnitIds?: readonly string[];
  /**
   * Reminders and escalation steps, with their instants and the unit each step goes to, fixed when
   * the obligation opened. Absent on obligations opened without a schedule: only the due date applies.
   */
  followUps?: FollowUps;
}>;

export type FollowUps = Readonly<{
  reminders: readonly Readonly<{ step: number; daysBefore: number; at: string }>[];
  escalations: readonly Readonly<{ step: number; toUnitId: string; at: string }>[];
}>;

export type EscalationStatus = Readonly<{ toUnitId: string; step: number }>;

export type ReportingObligationOpened = Event<'ReportingObligationOpened', Obligation>;
export type ReportSubmitted = Event<
  'ReportSubmitted',
  { version: number; values: ReportValues; narrative: Narrative; /** ISO instant. */ submittedAt: string; onTime: boolean }
>;
export type ReportReturned = Event<'ReportReturned', { version: number; reason: string }>;
export type ReportApproved = Event<'ReportApproved', { version: number }>;
/** A new version after approval; the approved one stays in the stream, nothing is overwritten. */
export type ReportCorrected = Event<
  'ReportCorrected',
  { version: number; values: ReportValues; narrative?: Narrative; reason: string }
>;
export type ObligationWaived = Event<'ObligationWaived', { reason: string }>;
export type ReminderIssued = Event<'ReminderIssued', { step: number; daysBefore: number }>;
export type ReportOverdue = Event<'ReportOverdue', { due: string }>;
export type EscalationRaised = Event<'EscalationRaised', EscalationStatus>;
export type EscalationResolved = Event<'EscalationResolved', EscalationStatus & { by: 'submission' | 'waiver' }>;

export type ReportEvent =
  | ReportingObligationOpened
  | ReportSubmitted
  | ReportReturned
  | ReportApproved
  | ReportCorrected
  | ObligationWaived
  | ReminderIssued
  | ReportOverdue
  | EscalationRaised
  | EscalationResolved;
