import type { Actor } from '@app/kernel';

/** Metadata every stored event carries (DESIGN.md "Streams and events"). */
export type EventMetadata = Readonly<{
  eventId: string;
  actor: Actor;
  /** ISO-8601 instant, taken from the command, not from a clock in the domain. */
  occurredAt: string;
  correlationId: string;
  causationId: string;
  schemaVersion: number;
  /** The command that produced the event; repeats of that command are answered from it. */
  commandId?: string;
}>;

/** An event to append. `id` is unique across the store; appending the same id twice is refused or deduplicated. */
export type NewEvent = Readonly<{
  id: string;
  type: string;
  data: object;
  metadata: EventMetadata;
}>;

export type RecordedEvent = Readonly<{
  id: string;
  streamId: string;
  /** 0-based position of the event in its stream. */
  revision: number;
  /** Position in the global log. Strictly increasing in the order events were committed. */
  position: number;
  type: string;
  data: Readonly<Record<string, unknown>>;
  metadata: EventMetadata;
  /** When the store recorded the event (epoch ms). */
  recordedAt: number;
}>;
