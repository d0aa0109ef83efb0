import { DomainError, type DomainErrorKind } from '@app/kernel';

export type MigrationErrorCode =
  | 'MIGRATION.CONFLICT'
  | 'MIGRATION.TARGET_BEHIND'
  | 'MIGRATION.CHECKPOINT_NOT_IN_TARGET'
  | 'MIGRATION.CHECKPOINT_NOT_IN_SOURCE'
  | 'MIGRATION.SOURCE_OUT_OF_ORDER';

const KINDS: Record<MigrationErrorCode, DomainErrorKind> = {
  'MIGRATION.CONFLICT': 'conflict',
  'MIGRATION.TARGET_BEHIND': 'illegal_state',
  'MIGRATION.CHECKPOINT_NOT_IN_TARGET': 'illegal_state',
  'MIGRATION.CHECKPOINT_NOT_IN_SOURCE': 'illegal_state',
  'MIGRATION.SOURCE_OUT_OF_ORDER': 'illegal_state',
};

/** Why a migration stopped. Whatever it copied before stays copied, and its checkpoint says up to where. */
export class MigrationError extends DomainError {
  constructor(
    override readonly code: MigrationErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(KINDS[code], code, message, details);
  }
}
