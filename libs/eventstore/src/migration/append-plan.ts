import type { RecordedEvent } from '../recorded-event';
import { MigrationError } from './migration.errors';

/** Consecutive events of one stream, consecutive in the global log too: one append with one expected revision. */
export type Piece = Readonly<{ streamId: string; events: readonly RecordedEvent[] }>;

export type PlanLimits = Readonly<{
  /** Group pieces of different streams into one call (only on a target that appends to many streams atomically). */
  multiStream: boolean;
  maxEvents: number;
  /** Rough size of data and metadata as JSON; KurrentDB refuses appends over its MaxAppendSize (1 MiB by default). */
  maxBytes: number;
}>;

const sizeOf = (event: RecordedEvent): number =>
  JSON.stringify(event.data).length + JSON.stringify(event.metadata).length + event.type.length + 64;

/**
 * Splits a page of the source log (in global order) into appends that keep that order: a piece
 * never mixes streams, and a call never holds the same stream twice, so the target writes the
 * events in the order the source has them.
 */
export const planAppends = (page: readonly RecordedEvent[], limits: PlanLimits): Piece[][] => {
  const pieces: { streamId: string; events: RecordedEvent[]; bytes: number }[] = [];
  for (const event of page) {
    const last = pieces[pieces.length - 1];
    const bytes = sizeOf(event);
    if (
      last &&
      last.streamId === event.streamId &&
      last.events.length < limits.maxEvents &&
      last.bytes + bytes <= limits.maxBytes
    ) {
      const previous = last.events[last.events.length - 1];
      if (event.revision !== previous.revision + 1) {
        throw new MigrationError(
          'MIGRATION.SOURCE_OUT_OF_ORDER',
          `Source stream ${event.streamId} has revision ${event.revision} right after ${previous.revision} in the global log`,
          { streamId: event.streamId, position: event.position },
        );
      }
      last.events.push(event);
      last.bytes += bytes;
    } else {
      pieces.push({ streamId: event.streamId, events: [event], bytes });
    }
  }
  if (!limits.multiStream) return pieces.map((p) => [{ streamId: p.streamId, events: p.events }]);

  const calls: Piece[][] = [];
  let call: Piece[] = [];
  let streams = new Set<string>();
  let events = 0;
  let bytes = 0;
  for (const piece of pieces) {
    if (
      call.length > 0 &&
      (streams.has(piece.streamId) || events + piece.events.length > limits.maxEvents || bytes + piece.bytes > limits.maxBytes)
    ) {
      calls.push(call);
      call = [];
      streams = new Set();
      events = 0;
      bytes = 0;
    }
    call.push({ streamId: piece.streamId, events: piece.events });
    streams.add(piece.streamId);
    events += piece.events.length;
    bytes += piece.bytes;
  }
  if (call.length > 0) calls.push(call);
  return calls;
};
