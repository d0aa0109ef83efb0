import type { EventFilter, EventStore } from '../event-store.port';
import type { RecordedEvent } from '../recorded-event';

/**
 * The first event after `position` that a subscriber with this filter would handle, or undefined
 * when it has nothing left: what lag is measured to (its age, or whether to count any at all).
 */
export const nextEventFor = async (
  store: Pick<EventStore, 'readAll'>,
  position: number,
  filter?: EventFilter,
): Promise<RecordedEvent | undefined> => (await store.readAll({ after: position, filter, maxCount: 1 }))[0];
