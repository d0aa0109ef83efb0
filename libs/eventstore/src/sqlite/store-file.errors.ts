import { DomainError, type DomainErrorKind } from '@app/kernel';

/** Why a backup or restore of the embedded store's file was refused. Nothing was changed when one is thrown. */
export type StoreFileErrorCode =
  | 'STORE_FILE.MISSING'
  | 'STORE_FILE.NOT_A_FILE'
  | 'STORE_FILE.NOT_SQLITE'
  | 'STORE_FILE.NO_EVENTS_TABLE'
  | 'STORE_FILE.DAMAGED'
  | 'STORE_FILE.HAS_WAL'
  | 'STORE_FILE.SAME_FILE'
  | 'STORE_FILE.DESTINATION_EXISTS'
  | 'STORE_FILE.DESTINATION_IS_DIRECTORY'
  | 'STORE_FILE.DESTINATION_DIRECTORY_MISSING'
  | 'STORE_FILE.CANNOT_CREATE'
  | 'STORE_FILE.PROCESS_RUNNING'
  | 'STORE_FILE.IN_USE'
  | 'STORE_FILE.CURRENT_UNREADABLE';

const KINDS: Record<StoreFileErrorCode, DomainErrorKind> = {
  'STORE_FILE.MISSING': 'not_found',
  'STORE_FILE.NOT_A_FILE': 'validation',
  'STORE_FILE.NOT_SQLITE': 'validation',
  'STORE_FILE.NO_EVENTS_TABLE': 'validation',
  'STORE_FILE.DAMAGED': 'validation',
  'STORE_FILE.HAS_WAL': 'validation',
  'STORE_FILE.SAME_FILE': 'validation',
  'STORE_FILE.DESTINATION_EXISTS': 'conflict',
  'STORE_FILE.DESTINATION_IS_DIRECTORY': 'validation',
  'STORE_FILE.DESTINATION_DIRECTORY_MISSING': 'not_found',
  'STORE_FILE.CANNOT_CREATE': 'illegal_state',
  'STORE_FILE.PROCESS_RUNNING': 'conflict',
  'STORE_FILE.IN_USE': 'conflict',
  'STORE_FILE.CURRENT_UNREADABLE': 'illegal_state',
};

export class StoreFileError extends DomainError {
  constructor(
    override readonly code: StoreFileErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(KINDS[code], code, message, details);
  }
}
