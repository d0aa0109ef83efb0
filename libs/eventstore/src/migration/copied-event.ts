import { isDeepStrictEqual } from 'node:util';
import type { ExpectedRevision } from '../expected-revision';
import type { NewEvent, RecordedEvent } from '../recorded-event';

/** The event as it is appended to the target: same id, type, data and metadata (occurredAt and all). */
export const toNewEvent = (event: RecordedEvent): NewEvent => ({
  id: event.id,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

/** The expected revision of a stream whose last event is `revision` (-1: none yet). */
export const expectedAt = (revision: number): ExpectedRevision => (revision < 0 ? 'no_stream' : revision);

// As JSON: what both stores keep, so keys left undefined and key order do not count as differences.
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null)) as unknown;

/** True when the target's event is the source's: same id, stream, revision, type, data and metadata. */
export const sameEvent = (copy: RecordedEvent, original: RecordedEvent): boolean =>
  copy.id === original.id &&
  copy.streamId === original.streamId &&
  copy.revision === original.revision &&
  copy.type === original.type &&
  isDeepStrictEqual(asJson(copy.data), asJson(original.data)) &&
  isDeepStrictEqual(asJson(copy.metadata), asJson(original.metadata));
