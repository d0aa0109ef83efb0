import type { Command } from '@app/kernel';
import type { Narrative, Obligation, ReportValues } from './report.events';

/** Names the obligation (and so the stream `report-<directiveId>_<unitId>_<period>`). */
export type ReportRef = Readonly<{ directiveId: string; unitId: string; period: string }>;

/** Sent by the period-opening saga; opening twice is a no-op. */
export type OpenObligation = Command<'OpenObligation', Obligation>;
/** By an officer of the obligation's unit (command.metadata.actor.unitId). */
export type SubmitReport = Command<'SubmitReport', ReportRef & { values: ReportValues; narrative: Narrative }>;
/** By the reviewer unit. `version`, when given, must be the version under review (else REPORT.VERSION_MISMATCH). */
export type ReturnReport = Command<'ReturnReport', ReportRef & { reason: string; version?: number }>;
export type ApproveReport = Command<'ApproveReport', ReportRef & { version?: number }>;
/** By the obligation's unit, after approval (or after submission when no approval is required). */
export type CorrectReport = Command<'CorrectReport', ReportRef & { values: ReportValues; narrative?: Narrative; reason: string }>;
/** By the reviewer unit, or a saga (e.g. the unit was dissolved). */
export type WaiveObligation = Command<'WaiveObligation', ReportRef & { reason: string }>;
/** Timer commands: each may fire twice; the duplicates are no-ops. */
export type IssueReminder = Command<'IssueReminder', ReportRef & { step: number; daysBefore: number }>;
export type MarkOverdue = Command<'MarkOverdue', ReportRef>;
/** `toUnitId` is resolved by the handler (the unit's parent, grandparent, …) before deciding. */
export type RaiseEscalation = Command<'RaiseEscalation', ReportRef & { step: number; toUnitId: string }>;

export type ReportCommand =
  | OpenObligation
  | SubmitReport
  | ReturnReport
  | ApproveReport
  | CorrectReport
  | WaiveObligation
  | IssueReminder
  | MarkOverdue
  | RaiseEscalation;
