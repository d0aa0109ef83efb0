import type { Event } from '@app/kernel';

export type DirectiveAssigned = Event<
  'DirectiveAssigned',
  { directiveId: string; unitId: string; issuerUnitId: string; /** ISO instant. */ assignedAt: string }
>;
/** `by` is the user who acknowledged receipt (tiếp nhận); `at` an ISO instant. */
export type AssignmentAcknowledged = Event<'AssignmentAcknowledged', { by: string; at: string }>;
export type ImplementingDirectiveIssued = Event<'ImplementingDirectiveIssued', { childDirectiveId: string; at: string }>;
export type AssignmentCompleted = Event<'AssignmentCompleted', { by: string; at: string }>;
export type AssignmentCancelled = Event<'AssignmentCancelled', { reason: string; at: string }>;

export type AssignmentEvent =
  DirectiveAssigned | AssignmentAcknowledged | ImplementingDirectiveIssued | AssignmentCompleted | AssignmentCancelled;
