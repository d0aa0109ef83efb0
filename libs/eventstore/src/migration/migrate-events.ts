import type { DomainError } from '@app/kernel';
import type { EventStore } from '../event-store.port';
import type { CheckpointStore } from '../subscriptions/checkpoint-store';
import { planAppends, type Piece } from './append-plan';
import { expectedAt, sameEvent, toNewEvent } from './copied-event';
import { MigrationError } from './migration.errors';

export const MIGRATION_CHECKPOINT = 'migrate:kurrentdb';

export type MigrationProgress = Readonly<{
  position: number;
  from: number;
  head: number;
  copied: number;
  alreadyPresent: number;
}>;

export type MigrationOptions = Readonly<{
  /** An embedded (SQLite) store: its positions are whole numbers, so `p - 1` reads the event at `p`. */
  source: EventStore;
  /** Not needed for a dry run. */
  target?: EventStore;
  /** Where the run keeps the source position it has copied up to (the source file's `checkpoints` table). */
  checkpoints: CheckpointStore;
  checkpointName?: string;
  /** Ignore the checkpoint and go through the log from the start (events already in the target are recognised and skipped). */
  restart?: boolean;
  /** Count what a run would copy; touch nothing. */
  dryRun?: boolean;
  /** Stops after the append under way; the checkpoint then says where to resume. */
  signal?: AbortSignal;
  onProgress?: (progress: MigrationProgress) => void;
  readBatchSize?: number;
  maxEventsPerAppend?: number;
  maxBytesPerAppend?: number;
}>;

export type MigrationResult = Readonly<{
  dryRun: boolean;
  /** The checkpoint when the run started: source events up to it were copied before. */
  from: number;
  /** The checkpoint now. */
  position: number;
  /** The source's head when the run started; events appended later are left for the next run. */
  sourceHead: number;
  /** Appended by this run (a dry run: events it would copy); a repeat the server itself recognised (KurrentDB) counts here. */
  events: number;
  /** Found already in the target, compared field by field and identical, so not appended again (a run resumed after a crash). */
  alreadyPresent: number;
  streams: number;
  complete: boolean;
  stopped: boolean;
}>;

type Tally = { copied: number; alreadyPresent: number };

/**
 * Copies the source's events to the target in global order, keeping ids, types, data, metadata and
 * each stream's revisions. Every append states the expected revision, so a target that already
 * holds something else in a stream, or a writer racing on it, is reported and never overwritten.
 * The checkpoint moves after each append, and a resumed run recognises events that an interrupted
 * one appended after its last checkpoint, so an interrupted and resumed migration is an exact copy.
 */
export const migrateEvents = async (options: MigrationOptions): Promise<MigrationResult> => {
  const { source, target, checkpoints, signal } = options;
  const name = options.checkpointName ?? MIGRATION_CHECKPOINT;
  const dryRun = options.dryRun ?? false;
  if (!dryRun && !target) throw new Error('A migration needs a target (only a dry run does not)');
  const readBatchSize = options.readBatchSize ?? 1000;
  const limits = {
    multiStream: target?.atomicMultiStreamAppend ?? false,
    maxEvents: options.maxEventsPerAppend ?? 500,
    maxBytes: options.maxBytesPerAppend ?? 512 * 1024,
  };

  const head = await source.headPosition();
  const from = options.restart ? 0 : await checkpoints.load(name);
  if (from > head) throw notInSource(from);
  if (from > 0 && target && !dryRun) await assertCopied(source, target, from);

  let position = from;
  const tally: Tally = { copied: 0, alreadyPresent: 0 };
  const streams = new Set<string>();
  const report = (): void => options.onProgress?.({ position, from, head, ...tally });
  let stopped = signal?.aborted ?? false;
  while (position < head && !stopped) {
    const page = (await source.readAll({ after: position, maxCount: readBatchSize })).filter((e) => e.position <= head);
    if (page.length === 0) break;
    if (dryRun) {
      for (const event of page) streams.add(event.streamId);
      tally.copied += page.length;
      position = page[page.length - 1].position;
      report();
      await turn();
      stopped = signal?.aborted ?? false;
      continue;
    }
    for (const call of planAppends(page, limits)) {
      const done = await appendCall(target as EventStore, call);
      tally.copied += done.copied;
      tally.alreadyPresent += done.alreadyPresent;
      for (const piece of call) streams.add(piece.streamId);
      const last = call[call.length - 1].events;
      position = last[last.length - 1].position;
      await checkpoints.store(name, position);
      report();
      await turn();
      if (signal?.aborted) {
        stopped = true;
        break;
      }
    }
  }
  return {
    dryRun,
    from,
    position,
    sourceHead: head,
    events: tally.copied,
    alreadyPresent: tally.alreadyPresent,
    streams: streams.size,
    complete: position >= head,
    stopped,
  };
};

/** Lets the event loop turn: stores that answer without I/O (SQLite, in memory) would keep a signal waiting to the end. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const codeOf = (error: unknown): string | undefined => (error as Partial<DomainError> | null)?.code;
const REFUSED = new Set(['EVENTSTORE.WRONG_EXPECTED_REVISION', 'EVENTSTORE.DUPLICATE_EVENT_ID']);

const appendCall = async (target: EventStore, call: readonly Piece[]): Promise<Tally> => {
  try {
    if (call.length === 1) {
      const [piece] = call;
      await target.appendToStream(piece.streamId, piece.events.map(toNewEvent), {
        expectedRevision: expectedAt(piece.events[0].revision - 1),
      });
    } else {
      await target.appendToStreams(
        call.map((piece) => ({
          streamId: piece.streamId,
          events: piece.events.map(toNewEvent),
          expectedRevision: expectedAt(piece.events[0].revision - 1),
        })),
      );
    }
    return { copied: call.reduce((n, piece) => n + piece.events.length, 0), alreadyPresent: 0 };
  } catch (error) {
    if (!REFUSED.has(codeOf(error) ?? '')) throw error;
    // Refused: events of an interrupted run already there, or something else in the target. Piece by piece, in order, to tell which.
    const tally: Tally = { copied: 0, alreadyPresent: 0 };
    for (const piece of call) {
      const done = await settlePiece(target, piece);
      tally.copied += done.copied;
      tally.alreadyPresent += done.alreadyPresent;
    }
    return tally;
  }
};

/** Compares what the target has at the piece's revisions; appends only what is missing, and only after identical events. */
const settlePiece = async (target: EventStore, piece: Piece): Promise<Tally> => {
  const { streamId, events } = piece;
  const first = events[0].revision;
  const actual = await target.streamRevision(streamId);
  if (actual < first - 1) {
    throw new MigrationError(
      'MIGRATION.TARGET_BEHIND',
      `Target stream ${streamId} ends at revision ${actual}, but the source's next event there is revision ${first}: ` +
        'the target lacks events this migration counts as copied (another target than before? run again with --restart)',
      { streamId, targetRevision: actual, sourceRevision: first },
    );
  }
  let present = 0;
  if (actual >= first) {
    const existing = await target.readStream(streamId, { fromRevision: first, maxCount: events.length });
    for (const [i, copy] of existing.entries()) {
      if (!sameEvent(copy, events[i])) throw conflict(streamId, events[i].revision, events[i].id, copy.id);
    }
    present = existing.length;
  }
  if (present < events.length) {
    try {
      await target.appendToStream(streamId, events.slice(present).map(toNewEvent), {
        expectedRevision: expectedAt(first + present - 1),
      });
    } catch (error) {
      if (!REFUSED.has(codeOf(error) ?? '')) throw error;
      throw conflict(streamId, events[present].revision, events[present].id, undefined, (error as Error).message);
    }
  }
  return { copied: events.length - present, alreadyPresent: present };
};

const conflict = (streamId: string, revision: number, sourceId: string, targetId?: string, reason?: string): MigrationError =>
  new MigrationError(
    'MIGRATION.CONFLICT',
    `Target stream ${streamId} holds something else at revision ${revision}` +
      (targetId ? ` (event ${targetId} where the source has ${sourceId})` : ` (${reason ?? 'refused'})`) +
      ': nothing was overwritten. Another writer uses the target, or it already held other data',
    { streamId, revision, sourceEventId: sourceId, targetEventId: targetId },
  );

/** The event at the checkpoint must be in the target; otherwise the checkpoint belongs to another target. */
const assertCopied = async (source: EventStore, target: EventStore, position: number): Promise<void> => {
  const [event] = await source.readAll({ after: position - 1, maxCount: 1 });
  if (!event || event.position !== position) throw notInSource(position);
  const [copy] = await target.readStream(event.streamId, { fromRevision: event.revision, maxCount: 1 });
  if (!copy || !sameEvent(copy, event)) {
    throw new MigrationError(
      'MIGRATION.CHECKPOINT_NOT_IN_TARGET',
      `The migration checkpoint says events up to position ${position} were copied, but the target does not have the event there ` +
        `(${event.streamId}@${event.revision}): it is another target than before. Run again with --restart to copy from the start`,
      { position, streamId: event.streamId, revision: event.revision },
    );
  }
};

const notInSource = (position: number): MigrationError =>
  new MigrationError(
    'MIGRATION.CHECKPOINT_NOT_IN_SOURCE',
    `The migration checkpoint is at position ${position}, which holds no event in the source ` +
      '(was the source restored from an older backup?). Run again with --restart',
    { position },
  );
