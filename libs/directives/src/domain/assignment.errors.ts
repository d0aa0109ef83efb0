import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError } from '@app/kernel';

type Ref = Readonly<{ directiveId: string; unitId: string }>;

export class AssignmentNotFound extends NotFoundError {
  constructor({ directiveId, unitId }: Ref) {
    super('ASSIGNMENT.NOT_FOUND', `Directive ${directiveId} is not assigned to unit ${unitId}`, { directiveId, unitId });
  }
}

export class AssignmentCancelledError extends IllegalStateError {
  constructor({ directiveId, unitId }: Ref) {
    super('ASSIGNMENT.CANCELLED', `The assignment of ${directiveId} to ${unitId} was cancelled`, { directiveId, unitId });
  }
}

export class AssignmentAlreadyCompleted extends IllegalStateError {
  constructor({ directiveId, unitId }: Ref) {
    super('ASSIGNMENT.ALREADY_COMPLETED', `The assignment of ${directiveId} to ${unitId} is completed`, { directiveId, unitId });
  }
}

export class AssignmentWrongUnit extends ForbiddenError {
  constructor({ directiveId, unitId }: Ref, actorUnitId: string | undefined) {
    super('ASSIGNMENT.WRONG_UNIT', `Only unit ${unitId} (or its issuer, where allowed) acts on this assignment`, {
      directiveId,
      unitId,
      actorUnitId,
    });
  }
}

export class AssignmentNotIssuer extends ForbiddenError {
  constructor({ directiveId, unitId }: Ref, actorUnitId: string | undefined) {
    super('ASSIGNMENT.NOT_ISSUER', `Only the issuing unit cancels the assignment of ${directiveId} to ${unitId}`, {
      directiveId,
      unitId,
      actorUnitId,
    });
  }
}

export class AssignmentInvalid extends ValidationError {
  constructor(field: string, message: string) {
    super('ASSIGNMENT.INVALID', `${field}: ${message}`, [{ field, message }]);
  }
}

export class AssignmentReasonRequired extends ValidationError {
  constructor() {
    super('ASSIGNMENT.REASON_REQUIRED', 'A cancellation states its reason', [{ field: 'reason', message: 'is required' }]);
  }
}
