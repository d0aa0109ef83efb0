import { categoryOf, type RecordedEvent } from '@app/eventstore';
import type { OutboundMessage } from '@app/messaging';

/** `<prefix>.<category>s`: `vwu.units`, `vwu.directives`, `vwu.assignments`, `vwu.reports`. */
export const topicOf = (prefix: string, streamId: string): string => `${prefix}.${categoryOf(streamId)}s`;

export const remindersTopic = (prefix: string): string => `${prefix}.reminders`;

/**
 * A stored event as an integration message: keyed by its stream, so one stream's events stay in
 * order on one partition, with the event id, type and schema version in headers for consumers
 * that route or deduplicate without parsing the body.
 */
export const integrationMessageOf = (prefix: string, event: RecordedEvent): OutboundMessage => ({
  topic: topicOf(prefix, event.streamId),
  key: event.streamId,
  value: JSON.stringify({
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    data: event.data,
    metadata: event.metadata,
  }),
  headers: {
    'event-id': event.id,
    'event-type': event.type,
    'schema-version': String(event.metadata.schemaVersion ?? 1),
    'stream-id': event.streamId,
    position: String(event.position),
    'occurred-at': event.metadata.occurredAt,
  },
});
