import { ConflictError, type FieldError, IllegalStateError, NotFoundError, ValidationError } from '@app/kernel';

/** At most this many field problems travel in one error; a 100,000-unit list must not make a 100,000-line answer. */
const MAX_FIELDS_REPORTED = 100;

const summarise = (fields: readonly FieldError[]): string =>
  fields
    .slice(0, 3)
    .map((f) => `${f.field}: ${f.message}`)
    .join('; ') + (fields.length > 3 ? `; and ${fields.length - 3} more` : '');

export class DirectiveInvalid extends ValidationError {
  constructor(fields: readonly FieldError[]) {
    super('DIRECTIVE.INVALID', `Invalid directive: ${summarise(fields)}`, fields.slice(0, MAX_FIELDS_REPORTED));
  }
}

export class TargetLooserThanBasis extends ValidationError {
  constructor(fields: readonly FieldError[]) {
    super('DIRECTIVE.TARGET_LOOSER_THAN_BASIS', `A target is looser than the basis directive's: ${summarise(fields)}`, fields);
  }
}

export class AssigneeOutsideSubtree extends ValidationError {
  constructor(fields: readonly FieldError[]) {
    super(
      'DIRECTIVE.ASSIGNEE_OUTSIDE_SUBTREE',
      `Assignees must be units below the issuer: ${summarise(fields)}`,
      fields.slice(0, MAX_FIELDS_REPORTED),
    );
  }
}

export class NoAssignees extends ValidationError {
  constructor() {
    super('DIRECTIVE.NO_ASSIGNEES', 'A directive is issued to at least one unit', [
      { field: 'assigneeUnitIds', message: 'must not be empty' },
    ]);
  }
}

export class AmendReasonRequired extends ValidationError {
  constructor() {
    super('DIRECTIVE.AMEND_REASON_REQUIRED', 'An amendment states its reason', [{ field: 'reason', message: 'is required' }]);
  }
}

export class NothingToAmend extends ValidationError {
  constructor() {
    super('DIRECTIVE.NOTHING_TO_AMEND', 'An amendment changes at least one thing', [{ field: 'changes', message: 'is empty' }]);
  }
}

export class DirectiveAlreadyDrafted extends ConflictError {
  constructor(directiveId: string) {
    super('DIRECTIVE.ALREADY_DRAFTED', `Directive ${directiveId} already exists`, { directiveId });
  }
}

export class DirectiveNotFound extends NotFoundError {
  constructor(directiveId: string) {
    super('DIRECTIVE.NOT_FOUND', `Directive ${directiveId} does not exist`, { directiveId });
  }
}

export class DirectiveNotDraft extends IllegalStateError {
  constructor(directiveId: string) {
    super('DIRECTIVE.NOT_DRAFT', `Directive ${directiveId} is issued; change it with an amendment`, { directiveId });
  }
}

export class DirectiveNotIssued extends IllegalStateError {
  constructor(directiveId: string) {
    super('DIRECTIVE.NOT_ISSUED', `Directive ${directiveId} is a draft; edit it directly instead of amending`, { directiveId });
  }
}

export class DirectiveClosedError extends IllegalStateError {
  constructor(directiveId: string) {
    super('DIRECTIVE.CLOSED', `Directive ${directiveId} is closed`, { directiveId });
  }
}

export class PeriodNeedsIssuedDirective extends IllegalStateError {
  constructor(directiveId: string) {
    super('DIRECTIVE.NOT_ISSUED', `Directive ${directiveId} is a draft; periods open only once it is issued`, { directiveId });
  }
}
