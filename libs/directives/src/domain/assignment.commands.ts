import type { Command } from '@app/kernel';

type AssignmentRef = { directiveId: string; unitId: string };

/** One assignment on its own; a directive's issue fans out through `assignmentsFor` instead. */
export type AssignDirective = Command<'AssignDirective', AssignmentRef & { issuerUnitId: string }>;
export type AcknowledgeAssignment = Command<'AcknowledgeAssignment', AssignmentRef>;
/** Sent when the assignee issues a directive whose basis is this one. */
export type RecordImplementingDirective = Command<'RecordImplementingDirective', AssignmentRef & { childDirectiveId: string }>;
export type CompleteAssignment = Command<'CompleteAssignment', AssignmentRef>;
export type CancelAssignment = Command<'CancelAssignment', AssignmentRef & { reason: string }>;

export type AssignmentCommand =
  AssignDirective | AcknowledgeAssignment | RecordImplementingDirective | CompleteAssignment | CancelAssignment;
