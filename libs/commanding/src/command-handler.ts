import type { Command, Decider, Event } from '@app/kernel';
import { ConflictError } from '@app/kernel';
import {
  DuplicateEventIdError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '@app/eventstore';
import { deterministicEventId } from './deterministic-id';

export type CommandResult = Readonly<{
  streamId: string;
  /** Revision of the stream's last event after the command (-1: the stream still does not exist). */
  revision: number;
  /** Global position of the last event written (or found, for a repeated command); 0 when nothing was written. */
  position: number;
  /** Events this command wrote (or wrote the first time, when replayed). */
  events: ReadonlyArray<Readonly<{ id: string; type: string; data: object }>>;
  /** True when the command had already been handled and this is its first result again. */
  replayed: boolean;
}>;

export type HandleOptions = Readonly<{
  /** From `If-Match`: the caller's view of the stream. A mismatch fails at once, without retry (412). */
  expectedRevision?: number;
}>;

export type CommandHandlerOptions = Readonly<{
  maxRetries?: number;
  /** Current schema version of each event type; 1 when absent. */
  schemaVersionOf?: (eventType: string) => number;
}>;

export class ConcurrencyRetriesExhaustedError extends ConflictError {
  constructor(streamId: string, attempts: number) {
    super('COMMAND.CONCURRENCY_RETRIES_EXHAUSTED', `Stream ${streamId} kept changing; gave up after ${attempts} attempts`, {
      streamId,
      attempts,
    });
  }
}

/**
 * The one generic command handler: load the stream, fold it, decide, append with the expected
 * revision; on a conflict, do it all again a bounded number of times. A command id seen in the
 * stream before is answered with its first result and writes nothing.
 */
export class CommandHandler {
  private readonly maxRetries: number;
  private readonly schemaVersionOf: (eventType: string) => number;

  constructor(
    private readonly store: EventStore,
    options: CommandHandlerOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 5;
    this.schemaVersionOf = options.schemaVersionOf ?? (() => 1);
  }

  async handle<C extends Command, E extends Event, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    options: HandleOptions = {},
  ): Promise<CommandResult> {
    for (let attempt = 1; ; attempt++) {
      const history = await this.store.readStream(streamId);
      const earlier = history.filter((e) => e.metadata.commandId === command.metadata.commandId);
      if (earlier.length > 0) return resultOf(streamId, earlier, true);

      const revision = history.length - 1;
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        throw new WrongExpectedRevisionError(streamId, options.expectedRevision, revision);
      }
      const state = history.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState());
      const decided = decider.decide(command, state);
      if (decided.length === 0) {
        return { streamId, revision, position: 0, events: [], replayed: false };
      }
      try {
        const toAppend = decided.map((event, index) => this.toNewEvent(command, streamId, event, index));
        const appended = await this.store.appendToStream(streamId, toAppend, {
          expectedRevision: revision < 0 ? 'no_stream' : revision,
        });
        return {
          streamId,
          revision: appended.nextExpectedRevision,
          position: appended.position,
          events: toAppend.map(({ id, type, data }) => ({ id, type, data })),
          replayed: false,
        };
      } catch (error) {
        const retryable = error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError;
        const pinned = options.expectedRevision !== undefined && error instanceof WrongExpectedRevisionError;
        if (!retryable || pinned) throw error;
        if (attempt > this.maxRetries) throw new ConcurrencyRetriesExhaustedError(streamId, attempt);
      }
    }
  }

  private toNewEvent(command: Command, streamId: string, event: Event, index: number): NewEvent {
    const { commandId, actor, now, correlationId, causationId } = command.metadata;
    const id = deterministicEventId(commandId, streamId, index);
    return {
      id,
      type: event.type,
      data: event.data,
      metadata: {
        eventId: id,
        actor,
        occurredAt: now.toISOString(),
        correlationId: correlationId ?? commandId,
        causationId: causationId ?? commandId,
        schemaVersion: this.schemaVersionOf(event.type),
        commandId,
      },
    };
  }
}

const resultOf = (streamId: string, events: readonly RecordedEvent[], replayed: boolean): CommandResult => {
  const last = events[events.length - 1];
  return {
    streamId,
    revision: last.revision,
    position: last.position,
    events: events.map(({ id, type, data }) => ({ id, type, data })),
    replayed,
  };
};
