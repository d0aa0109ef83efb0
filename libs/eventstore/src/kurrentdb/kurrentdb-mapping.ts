import {
  ANY,
  type AppendStreamState,
  type AllStreamResolvedEvent,
  type CurrentStreamState,
  type EventData,
  eventTypeFilter,
  excludeSystemEvents,
  type Filter,
  jsonEvent,
  NO_STREAM,
  type ReadPosition,
  type RecordedEvent as KurrentRecordedEvent,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { WrongExpectedRevisionError } from '../event-store.errors';
import type { EventFilter } from '../event-store.port';
import { type ExpectedRevision, NO_STREAM_REVISION } from '../expected-revision';
import type { EventMetadata, NewEvent, RecordedEvent } from '../recorded-event';

/*
 * Pure translations between the EventStore port and @kurrent/kurrentdb-client 1.x,
 * kept apart from the adapter so they can be tested without a server.
 */

// ---- expected revision and errors ----

export const toStreamState = (expected: ExpectedRevision = 'any'): AppendStreamState => {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  // -1 is how the port spells "no stream" in numbers (see revisionMatches), so accept it here too.
  if (expected === NO_STREAM_REVISION) return NO_STREAM;
  if (!Number.isSafeInteger(expected) || expected < 0) throw new RangeError(`Invalid expected revision ${expected}`);
  return BigInt(expected);
};

/** The server's current revision as the port reports it: -1 for no stream, undefined when it did not say. */
export const actualRevisionOf = (actual: CurrentStreamState | undefined): number | undefined => {
  if (actual === NO_STREAM) return NO_STREAM_REVISION;
  // Deleted (-5) and tombstoned (-6) streams come back as negative numbers: no revision to report.
  if (typeof actual === 'bigint' && actual >= 0n) return Number(actual);
  return undefined;
};

/** Turns the client's version conflict into the port's error; any other error passes through unchanged. */
export const toStoreError = (error: unknown, streamId: string, expected: ExpectedRevision = 'any'): unknown =>
  error instanceof WrongExpectedVersionError
    ? new WrongExpectedRevisionError(streamId, expected, actualRevisionOf(error.actualState))
    : error;

// The client keeps the gRPC status code on the errors it raises.
const grpcCodeOf = (error: unknown): unknown => (error instanceof Error ? (error as { code?: unknown }).code : undefined);
const INVALID_ARGUMENT = 3;
const UNIMPLEMENTED = 12;

/**
 * True when the server cannot do a multi-stream append, so single appends must do: the client says so
 * before sending anything, and a node without the RPC at all (an older node after a fail-over) answers UNIMPLEMENTED.
 */
export const isUnsupportedError = (error: unknown): boolean =>
  error instanceof UnsupportedError || grpcCodeOf(error) === UNIMPLEMENTED;

/** How a server that has multi-stream append refuses one with no streams in it. */
export const isInvalidArgumentError = (error: unknown): boolean => grpcCodeOf(error) === INVALID_ARGUMENT;

// ---- positions ----

/*
 * Our global position is one number: the event's commit position. Every append this engine makes, to one
 * stream or (KurrentDB 25.1+) to many, is an implicit transaction: the server writes each event as its own
 * committed record, so on $all each event has commit = prepare = its own log position, strictly increasing.
 * Resuming from { commit: p, prepare: p } is then exact. Only explicit transactions (the legacy TCP API;
 * gRPC clients cannot start one) give several events one commit position; those are refused, loudly,
 * because one number cannot order them and "skip everything at or before the checkpoint" would drop all
 * but the first.
 */

/** The largest commit position a JS number holds exactly: 2^53 - 1 bytes of log, about 9 PB. */
export const MAX_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

/** An event on $all whose commit and prepare positions differ: part of an explicit transaction. */
export class ExplicitTransactionError extends Error {
  constructor(
    readonly where: string,
    readonly commit: bigint,
    readonly prepare: bigint,
  ) {
    super(
      `Event ${where} on $all has commit position ${commit} but prepare position ${prepare}: it was written in an ` +
        'explicit transaction (legacy TCP API), and one number cannot order such events. See docs/eventstoredb.md.',
    );
    this.name = 'ExplicitTransactionError';
  }
}

export const toReadPosition = (after: number): ReadPosition => {
  if (!Number.isSafeInteger(after) || after < 0) throw new RangeError(`Invalid global position ${after}`);
  if (after === 0) return START;
  return { commit: BigInt(after), prepare: BigInt(after) };
};

export const toPositionNumber = (commit: bigint): number => {
  // Failing loudly beats resuming from a rounded position, which could skip or repeat events.
  if (commit < 0n || commit > MAX_POSITION) throw new RangeError(`Commit position ${commit} is out of range`);
  return Number(commit);
};

/** gRPC's "no position" (-1 as an unsigned 64-bit number). */
const NO_POSITION = 2n ** 64n - 1n;

/**
 * The position an append reports, when it reports one: an idempotent repeat may come back without it
 * (absent, zero, or the "no position" value), and the caller then reads it from the stream.
 */
export const reportedPosition = (commit: bigint | undefined): number | undefined =>
  commit === undefined || commit <= 0n || commit === NO_POSITION ? undefined : toPositionNumber(commit);

/**
 * The position of an event read from $all: its own commit position; never a checkpoint's (KurrentDB issue
 * #4970). Undefined for an item without an event.
 */
export const positionOf = (resolved: AllStreamResolvedEvent): number | undefined => {
  const own = resolved.event?.position;
  if (own) {
    if (own.prepare !== own.commit) {
      throw new ExplicitTransactionError(`${resolved.event?.streamId}@${resolved.event?.revision}`, own.commit, own.prepare);
    }
    return toPositionNumber(own.commit);
  }
  return resolved.commitPosition === undefined ? undefined : toPositionNumber(resolved.commitPosition);
};

// ---- filters ----

/** Events the server writes for itself ($stats, $> links of system projections, $metadata, …). */
export const isSystemEvent = (streamId: string, type: string): boolean => streamId.startsWith('$') || type.startsWith('$');

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regex matching exactly these event types; its syntax means the same to .NET (the server) and JavaScript. */
export const exactTypesRegex = (types: readonly string[]): string =>
  types.length === 0 ? '(?!)' : `^(?:${types.map(escapeRegex).join('|')})$`;

export const categoryPrefix = (category: string): string => `${category}-`;

/** Checkpoints are ignored (see positionOf), so ask for as few as the server allows to be sent. */
const CHECKPOINT_INTERVAL = 1000;

export type FilterPlan = Readonly<{
  /** Narrows what the server sends; it never has the last word. */
  server: Filter;
  /** The full rule, applied to everything the server sends. */
  matches: (streamId: string, type: string) => boolean;
  /** True when the server sends only matching events (but for rare system events), so reads need no extra margin. */
  serverIsExact: boolean;
  /** True when no event can match (an empty list was given), so a read can stop before it starts. */
  matchesNothing: boolean;
}>;

/**
 * The server filters on one thing only: event type or stream name. When both lists are given, it filters
 * by type, since in this engine a type belongs to one category and so is the narrower test, and the
 * category is checked here.
 */
export const planFilter = (filter: EventFilter = {}): FilterPlan => {
  const { eventTypes, categories } = filter;
  const types = eventTypes ? new Set(eventTypes) : undefined;
  const prefixes = categories?.map(categoryPrefix);
  const matches = (streamId: string, type: string): boolean =>
    !isSystemEvent(streamId, type) &&
    (types === undefined || types.has(type)) &&
    (prefixes === undefined || prefixes.some((prefix) => streamId.startsWith(prefix)));

  const server = eventTypes
    ? eventTypeFilter({ regex: exactTypesRegex(eventTypes), checkpointInterval: CHECKPOINT_INTERVAL })
    : prefixes
      ? streamNameFilter({ prefixes, checkpointInterval: CHECKPOINT_INTERVAL })
      : excludeSystemEvents({ checkpointInterval: CHECKPOINT_INTERVAL });
  return {
    server,
    matches,
    serverIsExact: !(eventTypes && categories),
    matchesNothing: eventTypes?.length === 0 || categories?.length === 0,
  };
};

// ---- events ----

/** multiStreamAppend (client 1.x, KurrentDB 25.1) carries metadata as string values only: the rest travels as JSON text. */
export const toStringProperties = (metadata: EventMetadata): Record<string, string> => {
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value !== undefined) properties[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return properties;
};

/**
 * An event as the client sends it. Our ids are UUIDs, as the server requires, so they serve as its event
 * ids and a repeated command's events are deduplicated by the server.
 */
export const toEventData = (event: NewEvent, metadataAs: 'json' | 'properties' = 'json'): EventData =>
  jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: metadataAs === 'json' ? (event.metadata as Record<string, unknown>) : toStringProperties(event.metadata),
  });

/** Reads metadata written either as JSON (single appends) or as string properties (multi-stream appends). */
export const fromStoredMetadata = (raw: unknown, where: string): EventMetadata => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof Uint8Array) {
    throw new Error(`Event ${where} has no JSON metadata; it was not written by this engine`);
  }
  const stored = raw as Record<string, unknown>;
  const needsDecoding =
    typeof stored.actor === 'string' ||
    typeof stored.schemaVersion === 'string' ||
    Object.keys(stored).some((k) => k.startsWith('$'));
  if (!needsDecoding) return stored as EventMetadata;
  const metadata: Record<string, unknown> = {};
  // Keys starting with $ are the server's own annotations, never ours.
  for (const [key, value] of Object.entries(stored)) if (!key.startsWith('$')) metadata[key] = value;
  if (typeof metadata.actor === 'string') metadata.actor = JSON.parse(metadata.actor);
  if (typeof metadata.schemaVersion === 'string') metadata.schemaVersion = Number(metadata.schemaVersion);
  return metadata as EventMetadata;
};

/** Converts one stored event; `position` is required because the port's events always carry one. */
export const toRecordedEvent = (event: KurrentRecordedEvent): RecordedEvent => {
  const where = `${event.streamId}@${event.revision}`;
  if (!event.position) {
    throw new Error(`KurrentDB returned ${where} without its global position; this adapter needs EventStoreDB 22.6 or later`);
  }
  if (
    !event.isJson ||
    typeof event.data !== 'object' ||
    event.data === null ||
    Array.isArray(event.data) ||
    event.data instanceof Uint8Array
  ) {
    throw new Error(`Event ${where} has no JSON object data; it was not written by this engine`);
  }
  return {
    id: event.id,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: toPositionNumber(event.position.commit),
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: fromStoredMetadata(event.metadata, where),
    recordedAt: event.created.getTime(),
  };
};

/**
 * Picks, from what a $all read or subscription hands over, the events the caller asked for:
 * strictly after `after`, matching the filter, never system events.
 */
export const acceptFromAll = (
  resolved: AllStreamResolvedEvent,
  after: number,
  plan: FilterPlan,
): Readonly<{ event: KurrentRecordedEvent; position: number }> | undefined => {
  const event = resolved.event;
  if (!event) return undefined;
  const position = positionOf(resolved);
  // Reads from a position include the event there; subscriptions do not. Skipping here makes both exclusive.
  if (position === undefined || position <= after) return undefined;
  return plan.matches(event.streamId, event.type) ? { event, position } : undefined;
};

// ---- fan-out ----

/**
 * Runs `run` over the items at most `limit` at a time and returns results in item order. After the
 * first failure it starts nothing new, waits for what is under way, then throws that failure.
 */
export const mapBounded = async <T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await run(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failure) throw failure.error;
  return results;
};
