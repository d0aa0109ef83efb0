import { ConflictError, type FieldError, IllegalStateError, NotFoundError, ValidationError } from '@app/kernel';

/** Stable refusal codes of the unit decider. The kind of each error (hence its HTTP status) is fixed below. */
export const UNIT_ERROR = {
  VALIDATION_FAILED: 'UNIT.VALIDATION_FAILED',
  UNKNOWN_LEVEL: 'UNIT.UNKNOWN_LEVEL',
  LEVEL_NOT_BELOW_PARENT: 'UNIT.LEVEL_NOT_BELOW_PARENT',
  ROOT_NOT_TOP_LEVEL: 'UNIT.ROOT_NOT_TOP_LEVEL',
  MERGE_INTO_SELF: 'UNIT.MERGE_INTO_SELF',
  VALID_FROM_BEFORE_LAST_CHANGE: 'UNIT.VALID_FROM_BEFORE_LAST_CHANGE',
  ALREADY_REGISTERED: 'UNIT.ALREADY_REGISTERED',
  CODE_TAKEN: 'UNIT.CODE_TAKEN',
  NOT_FOUND: 'UNIT.NOT_FOUND',
  PARENT_NOT_FOUND: 'UNIT.PARENT_NOT_FOUND',
  MERGE_TARGET_NOT_FOUND: 'UNIT.MERGE_TARGET_NOT_FOUND',
  OFFICER_NOT_APPOINTED: 'UNIT.OFFICER_NOT_APPOINTED',
  PARENT_INACTIVE: 'UNIT.PARENT_INACTIVE',
  CYCLE: 'UNIT.CYCLE',
  INACTIVE: 'UNIT.INACTIVE',
  MERGE_TARGET_INACTIVE: 'UNIT.MERGE_TARGET_INACTIVE',
  MERGE_LEVEL_MISMATCH: 'UNIT.MERGE_LEVEL_MISMATCH',
} as const;
export type UnitErrorCode = (typeof UNIT_ERROR)[keyof typeof UNIT_ERROR];

const invalid = (code: UnitErrorCode, field: string, message: string) => new ValidationError(code, message, [{ field, message }]);

export const unitErrors = {
  validationFailed: (fields: readonly FieldError[]) =>
    new ValidationError(UNIT_ERROR.VALIDATION_FAILED, `Invalid ${fields.map((f) => f.field).join(', ')}`, fields),
  unknownLevel: (field: string, level: string) => invalid(UNIT_ERROR.UNKNOWN_LEVEL, field, `Unknown level "${level}"`),
  levelNotBelowParent: (field: string, level: string, parentLevel: string) =>
    invalid(UNIT_ERROR.LEVEL_NOT_BELOW_PARENT, field, `A ${level} unit cannot hang under a ${parentLevel} unit`),
  rootNotTopLevel: (level: string, top: string) =>
    invalid(UNIT_ERROR.ROOT_NOT_TOP_LEVEL, 'parentId', `Only a ${top} unit may have no parent; a ${level} unit needs one`),
  mergeIntoSelf: () => invalid(UNIT_ERROR.MERGE_INTO_SELF, 'intoUnitId', 'A unit cannot be merged into itself'),
  validFromBeforeLastChange: (validFrom: string, lastChangeOn: string) =>
    invalid(
      UNIT_ERROR.VALID_FROM_BEFORE_LAST_CHANGE,
      'validFrom',
      `${validFrom} is before the unit's last change, dated ${lastChangeOn}`,
    ),
  alreadyRegistered: (unitId: string) =>
    new ConflictError(UNIT_ERROR.ALREADY_REGISTERED, `Unit ${unitId} is already registered`, { unitId }),
  codeTaken: (code: string, byUnitId: string) =>
    new ConflictError(UNIT_ERROR.CODE_TAKEN, `Code ${code} already belongs to unit ${byUnitId}`, { code, byUnitId }),
  notFound: () => new NotFoundError(UNIT_ERROR.NOT_FOUND, 'No unit is registered under this id'),
  parentNotFound: (parentId: string) =>
    new NotFoundError(UNIT_ERROR.PARENT_NOT_FOUND, `Parent unit ${parentId} does not exist`, { parentId }),
  mergeTargetNotFound: (intoUnitId: string) =>
    new NotFoundError(UNIT_ERROR.MERGE_TARGET_NOT_FOUND, `Unit ${intoUnitId} does not exist`, { intoUnitId }),
  officerNotAppointed: (userId: string) =>
    new NotFoundError(UNIT_ERROR.OFFICER_NOT_APPOINTED, `User ${userId} is not an officer of this unit`, { userId }),
  parentInactive: (parentId: string, status: string) =>
    new IllegalStateError(UNIT_ERROR.PARENT_INACTIVE, `Parent unit ${parentId} is ${status}`, { parentId, status }),
  cycle: (toParentId: string) =>
    new IllegalStateError(UNIT_ERROR.CYCLE, `Unit ${toParentId} is the unit itself or lies below it`, { toParentId }),
  inactive: (status: string) => new IllegalStateError(UNIT_ERROR.INACTIVE, `The unit is ${status}`, { status }),
  mergeTargetInactive: (intoUnitId: string, status: string) =>
    new IllegalStateError(UNIT_ERROR.MERGE_TARGET_INACTIVE, `Unit ${intoUnitId} is ${status}`, { intoUnitId, status }),
  mergeLevelMismatch: (level: string, targetLevel: string) =>
    new IllegalStateError(
      UNIT_ERROR.MERGE_LEVEL_MISMATCH,
      `A ${level} unit can only merge into a ${level} unit, not a ${targetLevel}`,
      {
        level,
        targetLevel,
      },
    ),
};
