import type { DirectiveAssigned } from './assignment.events';

export type AssignmentFanOut = Readonly<{ unitId: string; event: DirectiveAssigned }>;

/**
 * The per-assignee DirectiveAssigned events for an issued directive, for the handler to append in
 * one multi-stream call (`assignmentStreamId(directiveId, unitId)` each, expected revision
 * `no_stream`). One pass, one small object per unit: 100,000 assignees cost 100,000 allocations
 * and nothing more. The list was checked (unique, inside the issuer's subtree) by IssueDirective.
 *
 * @param at ISO instant of the issue (DirectiveIssued.issuedAt)
 */
export const assignmentsFor = (
  directiveId: string,
  issuerUnitId: string,
  assigneeUnitIds: readonly string[],
  at: string,
): AssignmentFanOut[] => {
  const out = new Array<AssignmentFanOut>(assigneeUnitIds.length);
  for (let i = 0; i < assigneeUnitIds.length; i++) {
    const unitId = assigneeUnitIds[i];
    out[i] = { unitId, event: { type: 'DirectiveAssigned', data: { directiveId, unitId, issuerUnitId, assignedAt: at } } };
  }
  return out;
};
