import { ConflictError, type FieldError, ForbiddenError, IllegalStateError, ValidationError } from '@app/kernel';
import type { ReportRef } from './report.commands';

/** At most this many field problems travel in one error. */
const MAX_FIELDS_REPORTED = 200;

const name = ({ directiveId, unitId, period }: ReportRef): string => `${directiveId}/${unitId}/${period}`;
const details = ({ directiveId, unitId, period }: ReportRef) => ({ directiveId, unitId, period });

export class ReportInvalid extends ValidationError {
  constructor(fields: readonly FieldError[]) {
    const shown = fields
      .slice(0, 3)
      .map((f) => `${f.field}: ${f.message}`)
      .join('; ');
    super(
      'REPORT.INVALID',
      `Invalid report: ${shown}${fields.length > 3 ? `; and ${fields.length - 3} more` : ''}`,
      fields.slice(0, MAX_FIELDS_REPORTED),
    );
  }
}

export class ReportReasonRequired extends ValidationError {
  constructor() {
    super('REPORT.REASON_REQUIRED', 'A reason is required', [{ field: 'reason', message: 'is required' }]);
  }
}

export class ReportNotOpen extends IllegalStateError {
  constructor(ref: ReportRef) {
    super('REPORT.NOT_OPEN', `No reporting obligation is open for ${name(ref)}`, details(ref));
  }
}

export class ReportWrongUnit extends ForbiddenError {
  constructor(ref: ReportRef, actorUnitId: string | undefined) {
    super('REPORT.WRONG_UNIT', `Only unit ${ref.unitId} reports for ${name(ref)}`, { ...details(ref), actorUnitId });
  }
}

export class ReportNotReviewer extends ForbiddenError {
  constructor(ref: ReportRef, reviewerUnitId: string, actorUnitId: string | undefined) {
    super('REPORT.NOT_REVIEWER', `Only the reviewer unit ${reviewerUnitId} reviews ${name(ref)}`, {
      ...details(ref),
      reviewerUnitId,
      actorUnitId,
    });
  }
}

export class ReportAlreadySubmitted extends IllegalStateError {
  constructor(ref: ReportRef) {
    super('REPORT.ALREADY_SUBMITTED', `The report ${name(ref)} is already submitted`, details(ref));
  }
}

export class ReportAlreadyApproved extends IllegalStateError {
  constructor(ref: ReportRef) {
    super('REPORT.ALREADY_APPROVED', `The report ${name(ref)} is approved; send a correction instead`, details(ref));
  }
}

export class ReportNotSubmitted extends IllegalStateError {
  constructor(ref: ReportRef) {
    super('REPORT.NOT_SUBMITTED', `The report ${name(ref)} has not been submitted`, details(ref));
  }
}

export class ReportNotApproved extends IllegalStateError {
  constructor(ref: ReportRef) {
    super('REPORT.NOT_APPROVED', `The report ${name(ref)} is not approved: submit it, or wait for the review`, details(ref));
  }
}

export class ReportWaived extends IllegalStateError {
  constructor(ref: ReportRef) {
    super('REPORT.WAIVED', `The obligation ${name(ref)} was waived`, details(ref));
  }
}

export class ApprovalNotRequired extends IllegalStateError {
  constructor(ref: ReportRef) {
    super('REPORT.APPROVAL_NOT_REQUIRED', `Reports for ${name(ref)} need no approval`, details(ref));
  }
}

export class ReportNotYetDue extends IllegalStateError {
  constructor(ref: ReportRef, due: string) {
    super('REPORT.NOT_YET_DUE', `The report ${name(ref)} is not due before ${due}`, { ...details(ref), due });
  }
}

export class ReportVersionMismatch extends ConflictError {
  constructor(ref: ReportRef, expected: number, actual: number) {
    super('REPORT.VERSION_MISMATCH', `Version ${expected} of ${name(ref)} was reviewed, but the current version is ${actual}`, {
      ...details(ref),
      expected,
      actual,
    });
  }
}
