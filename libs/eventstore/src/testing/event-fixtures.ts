import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../recorded-event';

/** Unique names per run, so the suite also works against a shared, non-empty server. */
export const uniqueName = (prefix: string): string => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;

export const newEvent = (type: string, data: object = {}, overrides: Partial<NewEvent['metadata']> = {}): NewEvent => {
  const id = randomUUID();
  return {
    id,
    type,
    data,
    metadata: {
      eventId: id,
      actor: { userId: 'user-1', unitId: 'unit-1' },
      occurredAt: '2026-01-15T03:00:00.000Z',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      schemaVersion: 1,
      ...overrides,
    },
  };
};

export const newEvents = (type: string, count: number, from = 0): NewEvent[] =>
  Array.from({ length: count }, (_, i) => newEvent(type, { n: from + i }));
