import { type Actor, type CommandMetadata, systemActor } from '@app/kernel';
import { deciderSpec } from '@app/kernel/testing';
import type { AssignmentCommand } from './assignment.commands';
import { assignmentDecider } from './assignment.decider';
import type { AssignmentEvent } from './assignment.events';

const NOW = new Date('2026-03-02T03:00:00.000Z');
const AT = NOW.toISOString();
const assignee: Actor = { userId: 'chu-tich-bat-xat', unitId: 'bat-xat' };
const issuer: Actor = { userId: 'van-phong-lao-cai', unitId: 'lao-cai' };
const stranger: Actor = { userId: 'someone', unitId: 'sa-pa' };
const meta = (actor: Actor): CommandMetadata => ({ commandId: 'cmd-1', actor, now: NOW });
const spec = deciderSpec(assignmentDecider);
const ref = { directiveId: 'd-1', unitId: 'bat-xat' };

const cmd = <C extends AssignmentCommand>(type: C['type'], actor: Actor, extra: object = {}): C =>
  ({ type, data: { ...ref, ...extra }, metadata: meta(actor) }) as C;

const assigned: AssignmentEvent = { type: 'DirectiveAssigned', data: { ...ref, issuerUnitId: 'lao-cai', assignedAt: AT } };
const acknowledged = (by = assignee.userId): AssignmentEvent => ({ type: 'AssignmentAcknowledged', data: { by, at: AT } });
const implementing = (childDirectiveId: string): AssignmentEvent => ({
  type: 'ImplementingDirectiveIssued',
  data: { childDirectiveId, at: AT },
});
const completed = (by: string): AssignmentEvent => ({ type: 'AssignmentCompleted', data: { by, at: AT } });
const cancelled: AssignmentEvent = { type: 'AssignmentCancelled', data: { reason: 'Đơn vị sáp nhập', at: AT } };

describe('assignment decider', () => {
  describe('AssignDirective', () => {
    it('assigns the directive to the unit', () => {
      spec
        .given([])
        .when(cmd('AssignDirective', issuer, { issuerUnitId: 'lao-cai' }))
        .then([assigned]);
    });

    it('ignores assigning twice', () => {
      spec
        .given([assigned, acknowledged()])
        .when(cmd('AssignDirective', systemActor('issue'), { issuerUnitId: 'lao-cai' }))
        .thenNothing();
    });

    it('refuses re-assigning a cancelled assignment: ASSIGNMENT.CANCELLED', () => {
      spec
        .given([assigned, cancelled])
        .when(cmd('AssignDirective', issuer, { issuerUnitId: 'lao-cai' }))
        .thenRefused('ASSIGNMENT.CANCELLED', 'illegal_state');
    });

    it('refuses an actor from another unit than the issuer: ASSIGNMENT.NOT_ISSUER', () => {
      spec
        .given([])
        .when(cmd('AssignDirective', stranger, { issuerUnitId: 'lao-cai' }))
        .thenRefused('ASSIGNMENT.NOT_ISSUER', 'forbidden');
    });
  });

  describe('AcknowledgeAssignment', () => {
    it('records who acknowledged receipt, and when', () => {
      spec.given([assigned]).when(cmd('AcknowledgeAssignment', assignee)).then([acknowledged()]);
    });

    it('ignores a second acknowledgement, and one after completion', () => {
      spec.given([assigned, acknowledged()]).when(cmd('AcknowledgeAssignment', assignee)).thenNothing();
      spec
        .given([assigned, acknowledged(), completed('x')])
        .when(cmd('AcknowledgeAssignment', assignee))
        .thenNothing();
    });

    it('refuses an assignment that does not exist: ASSIGNMENT.NOT_FOUND', () => {
      spec.given([]).when(cmd('AcknowledgeAssignment', assignee)).thenRefused('ASSIGNMENT.NOT_FOUND', 'not_found');
    });

    it('refuses a cancelled assignment: ASSIGNMENT.CANCELLED', () => {
      spec.given([assigned, cancelled]).when(cmd('AcknowledgeAssignment', assignee)).thenRefused('ASSIGNMENT.CANCELLED');
    });

    it('refuses an officer of another unit: ASSIGNMENT.WRONG_UNIT', () => {
      spec.given([assigned]).when(cmd('AcknowledgeAssignment', issuer)).thenRefused('ASSIGNMENT.WRONG_UNIT', 'forbidden');
    });
  });

  describe('RecordImplementingDirective', () => {
    it('records the implementing directive, acknowledging receipt first when that was skipped', () => {
      spec
        .given([assigned])
        .when(cmd('RecordImplementingDirective', assignee, { childDirectiveId: 'd-bat-xat-1' }))
        .then([acknowledged(), implementing('d-bat-xat-1')]);
    });

    it('records a further implementing directive after acknowledgement, from a saga too', () => {
      spec
        .given([assigned, acknowledged(), implementing('d-bat-xat-1')])
        .when(cmd('RecordImplementingDirective', systemActor('cascade'), { childDirectiveId: 'd-bat-xat-2' }))
        .then([implementing('d-bat-xat-2')]);
    });

    it('ignores the same implementing directive recorded twice', () => {
      spec
        .given([assigned, acknowledged(), implementing('d-bat-xat-1')])
        .when(cmd('RecordImplementingDirective', assignee, { childDirectiveId: 'd-bat-xat-1' }))
        .thenNothing();
    });

    it('refuses a new implementing directive after completion: ASSIGNMENT.ALREADY_COMPLETED', () => {
      spec
        .given([assigned, acknowledged(), completed('x')])
        .when(cmd('RecordImplementingDirective', assignee, { childDirectiveId: 'd-bat-xat-1' }))
        .thenRefused('ASSIGNMENT.ALREADY_COMPLETED', 'illegal_state');
    });

    it('refuses a blank child directive id: ASSIGNMENT.INVALID', () => {
      spec
        .given([assigned])
        .when(cmd('RecordImplementingDirective', assignee, { childDirectiveId: '' }))
        .thenRefused('ASSIGNMENT.INVALID', 'validation', ['childDirectiveId']);
    });

    it('refuses a missing or cancelled assignment, or another unit', () => {
      const record = cmd('RecordImplementingDirective', assignee, { childDirectiveId: 'c' });
      spec.given([]).when(record).thenRefused('ASSIGNMENT.NOT_FOUND');
      spec.given([assigned, cancelled]).when(record).thenRefused('ASSIGNMENT.CANCELLED');
      spec
        .given([assigned])
        .when(cmd('RecordImplementingDirective', stranger, { childDirectiveId: 'c' }))
        .thenRefused('ASSIGNMENT.WRONG_UNIT', 'forbidden');
    });
  });

  describe('CompleteAssignment', () => {
    it('completes an acknowledged assignment, by the issuer', () => {
      spec
        .given([assigned, acknowledged()])
        .when(cmd('CompleteAssignment', issuer))
        .then([completed(issuer.userId)]);
    });

    it('acknowledges receipt first when completing an unacknowledged assignment', () => {
      spec
        .given([assigned])
        .when(cmd('CompleteAssignment', assignee))
        .then([acknowledged(), completed(assignee.userId)]);
    });

    it('ignores completing twice', () => {
      spec
        .given([assigned, acknowledged(), completed('x')])
        .when(cmd('CompleteAssignment', assignee))
        .thenNothing();
    });

    it('refuses a missing or cancelled assignment, or an unrelated unit', () => {
      spec.given([]).when(cmd('CompleteAssignment', assignee)).thenRefused('ASSIGNMENT.NOT_FOUND');
      spec.given([assigned, cancelled]).when(cmd('CompleteAssignment', assignee)).thenRefused('ASSIGNMENT.CANCELLED');
      spec.given([assigned]).when(cmd('CompleteAssignment', stranger)).thenRefused('ASSIGNMENT.WRONG_UNIT', 'forbidden');
    });
  });

  describe('CancelAssignment', () => {
    it('cancels with a reason, by the issuer', () => {
      spec
        .given([assigned, acknowledged()])
        .when(cmd('CancelAssignment', issuer, { reason: 'Đơn vị sáp nhập' }))
        .then([cancelled]);
    });

    it('ignores cancelling twice', () => {
      spec
        .given([assigned, cancelled])
        .when(cmd('CancelAssignment', issuer, { reason: 'again' }))
        .thenNothing();
    });

    it('refuses a cancellation without a reason: ASSIGNMENT.REASON_REQUIRED', () => {
      spec
        .given([assigned])
        .when(cmd('CancelAssignment', issuer, { reason: ' ' }))
        .thenRefused('ASSIGNMENT.REASON_REQUIRED', 'validation', ['reason']);
    });

    it('refuses the assignee cancelling its own assignment: ASSIGNMENT.NOT_ISSUER', () => {
      spec
        .given([assigned])
        .when(cmd('CancelAssignment', assignee, { reason: 'r' }))
        .thenRefused('ASSIGNMENT.NOT_ISSUER', 'forbidden');
    });

    it('refuses cancelling completed work: ASSIGNMENT.ALREADY_COMPLETED', () => {
      spec
        .given([assigned, acknowledged(), completed('x')])
        .when(cmd('CancelAssignment', issuer, { reason: 'r' }))
        .thenRefused('ASSIGNMENT.ALREADY_COMPLETED');
    });

    it('refuses an assignment that does not exist: ASSIGNMENT.NOT_FOUND', () => {
      spec
        .given([])
        .when(cmd('CancelAssignment', issuer, { reason: 'r' }))
        .thenRefused('ASSIGNMENT.NOT_FOUND');
    });
  });
});
