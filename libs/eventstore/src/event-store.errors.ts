import { ConflictError } from '@app/kernel';
import type { ExpectedRevision } from './expected-revision';

/** Raised when an append's expected revision does not match the stream. Nothing of that append is written. */
export class WrongExpectedRevisionError extends ConflictError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event; -1 when the stream does not exist; undefined when the store did not say. */
    readonly actual: number | undefined,
  ) {
    super(
      'EVENTSTORE.WRONG_EXPECTED_REVISION',
      `Stream ${streamId} is at revision ${actual ?? 'unknown'}, expected ${String(expected)}`,
      { streamId, expected, actual },
    );
  }
}

/** Raised when an event id that is already stored is appended again as part of a different write. */
export class DuplicateEventIdError extends ConflictError {
  constructor(readonly eventId: string) {
    super('EVENTSTORE.DUPLICATE_EVENT_ID', `An event with id ${eventId} is already stored`, { eventId });
  }
}
