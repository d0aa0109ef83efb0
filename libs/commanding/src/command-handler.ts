import type { Command, Decider, Event } from '@app/kernel';
import { ConflictError, DomainError } from '@app/kernel';
import {
  DuplicateEventIdError,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '@app/eventstore';
import type { CommandObserver, CommandOutcome } from './command-observer';
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

/** Events for another stream, written in the same append as the command's own (the fan-out path). */
export type AlongsideAppend = Readonly<{ streamId: string; events: readonly Event[]; expectedRevision?: ExpectedRevision }>;

export type HandleOptions<E extends Event = Event, S = unknown> = Readonly<{
  /** From `If-Match`: the caller's view of the stream. A mismatch fails at once, without retry (412). */
  expectedRevision?: number;
  /**
   * Derives appends to other streams from what was decided, e.g. one DirectiveAssigned per assignee
   * when a directive is issued. They go into the same multi-stream append, so on an atomic store
   * either all of it is recorded or none.
   */
  alongside?: (decided: readonly E[], state: S) => readonly AlongsideAppend[];
}>;

/** One command for a stream that must not exist yet, for batches (imports, opening a period). */
export type NewStreamCommand<C> = Readonly<{ streamId: string; command: C }>;

export type BatchResult = Readonly<{ streams: number; events: number; position: number; replayed: boolean }>;

/** One command for an existing (or not) stream, for batches of system commands such as timers firing. */
export type StreamCommand<C> = Readonly<{ streamId: string; command: C }>;

export type ManyResult = Readonly<{
  /** Commands that wrote events. */
  written: number;
  /** Commands that decided nothing (a duplicate, a report already in) or had run before. */
  unchanged: number;
  /** Commands refused by their decider, with the refusal; the rest of the batch still ran. */
  refused: ReadonlyArray<Readonly<{ streamId: string; command: Command; error: Error }>>;
  /** Highest position written; 0 when nothing was. */
  position: number;
}>;

export type CommandHandlerOptions = Readonly<{
  maxRetries?: number;
  /** Current schema version of each event type; 1 when absent. */
  schemaVersionOf?: (eventType: string) => number;
  /** Told how each command ended and about each retry (metrics). */
  observer?: CommandObserver;
  /** Milliseconds from an arbitrary origin, for the observer's durations; `performance.now` by default. */
  monotonicMs?: () => number;
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
  private readonly observer: CommandObserver | undefined;
  private readonly monotonicMs: () => number;

  constructor(
    private readonly store: EventStore,
    options: CommandHandlerOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 5;
    this.schemaVersionOf = options.schemaVersionOf ?? (() => 1);
    this.observer = options.observer;
    this.monotonicMs = options.monotonicMs ?? (() => performance.now());
  }

  async handle<C extends Command, E extends Event, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    options: HandleOptions<E, S> = {},
  ): Promise<CommandResult> {
    const started = this.monotonicMs();
    try {
      const result = await this.decideAndAppend(decider, streamId, command, options);
      this.report([command.type], result.replayed ? 'replayed' : 'ok', started);
      return result;
    } catch (error) {
      this.report([command.type], outcomeOf(error, options.expectedRevision !== undefined), started);
      throw error;
    }
  }

  private async decideAndAppend<C extends Command, E extends Event, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    options: HandleOptions<E, S>,
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
        const expectedRevision = revision < 0 ? 'no_stream' : revision;
        const others = options.alongside?.(decided, state) ?? [];
        // The command's own stream goes last: its events then carry the append's highest position
        // (what a repeat answers with), and where appends are not atomic the record of the command
        // is written only once its fan-out is.
        const results =
          others.length === 0
            ? [await this.store.appendToStream(streamId, toAppend, { expectedRevision })]
            : await this.store.appendToStreams([
                ...others.map((other) => ({
                  streamId: other.streamId,
                  events: other.events.map((event, index) => this.toNewEvent(command, other.streamId, event, index)),
                  expectedRevision: other.expectedRevision,
                })),
                { streamId, events: toAppend, expectedRevision },
              ]);
        return {
          streamId,
          revision: results[results.length - 1].nextExpectedRevision,
          // The whole append's last position, so a read with minPosition sees the fan-out too.
          position: results.reduce((max, r) => Math.max(max, r.position), 0),
          events: toAppend.map(({ id, type, data }) => ({ id, type, data })),
          replayed: false,
        };
      } catch (error) {
        const retryable = error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError;
        const pinned = options.expectedRevision !== undefined && error instanceof WrongExpectedRevisionError;
        // A conflict on another stream of the append is not a race on this one: retrying cannot help.
        const elsewhere = error instanceof WrongExpectedRevisionError && error.streamId !== streamId;
        if (!retryable || pinned || elsewhere) throw error;
        if (attempt > this.maxRetries) throw new ConcurrencyRetriesExhaustedError(streamId, attempt);
        this.notify((observer) => observer.retried(command.type));
      }
    }
  }

  /** Position of the last event a command wrote to a stream, if it wrote any there: how a repeat is recognised. */
  async positionOfCommand(streamId: string, commandId: string): Promise<number | undefined> {
    const events = await this.store.readStream(streamId);
    for (let i = events.length - 1; i >= 0; i--) if (events[i].metadata.commandId === commandId) return events[i].position;
    return undefined;
  }

  /** Folds a stream into its current state, for look-ups before another command is decided. */
  async load<E extends Event, S>(
    decider: Pick<Decider<Command, E, S>, 'initialState' | 'evolve'>,
    streamId: string,
  ): Promise<{ state: S; revision: number }> {
    const history = await this.store.readStream(streamId);
    const state = history.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState());
    return { state, revision: history.length - 1 };
  }

  /**
   * Decides each command against an empty stream and appends everything in one multi-stream call,
   * every stream expected not to exist. Repeating the batch (same command id on its last stream)
   * returns the first result and writes nothing. The last stream, because a store that cannot append
   * atomically writes it only once every other stream is written: a torn batch is not taken for a
   * finished one, and its repeat completes it (docs/eventstoredb.md).
   */
  async handleNewStreams<C extends Command, E extends Event, S>(
    decider: Decider<C, E, S>,
    items: readonly NewStreamCommand<C>[],
  ): Promise<BatchResult> {
    if (items.length === 0) return { streams: 0, events: 0, position: 0, replayed: false };
    const started = this.monotonicMs();
    const types = items.map((item) => item.command.type);
    try {
      const result = await this.appendNewStreams(decider, items);
      this.report(types, result.replayed ? 'replayed' : 'ok', started);
      return result;
    } catch (error) {
      this.report(types, outcomeOf(error, false), started);
      throw error;
    }
  }

  private async appendNewStreams<C extends Command, E extends Event, S>(
    decider: Decider<C, E, S>,
    items: readonly NewStreamCommand<C>[],
  ): Promise<BatchResult> {
    const last = items[items.length - 1];
    const earlier = await this.positionOfCommand(last.streamId, last.command.metadata.commandId);
    if (earlier !== undefined) return { streams: items.length, events: 0, position: earlier, replayed: true };
    let events = 0;
    const requests = items.flatMap(({ streamId, command }) => {
      const decided = decider.decide(command, decider.initialState());
      events += decided.length;
      if (decided.length === 0) return [];
      const newEvents = decided.map((event, index) => this.toNewEvent(command, streamId, event, index));
      return [{ streamId, events: newEvents, expectedRevision: 'no_stream' as const }];
    });
    const results = await this.store.appendToStreams(requests);
    const position = results.reduce((max, r) => Math.max(max, r.position), 0);
    return { streams: results.length, events, position, replayed: false };
  }

  /**
   * Many commands on many streams, decided together and appended in one multi-stream append, each
   * stream at the revision it was read at: the batch path for timers firing by the thousand. Commands
   * for the same stream are decided in order against the state the earlier ones left. A command id
   * already in its stream is skipped. When the append meets a concurrent writer, each command falls
   * back to `handle`, which retries on its own. A refusal is reported, not thrown, so one bad
   * obligation cannot hold up the others.
   */
  async handleMany<C extends Command, E extends Event, S>(
    decider: Decider<C, E, S>,
    items: readonly StreamCommand<C>[],
  ): Promise<ManyResult> {
    const started = this.monotonicMs();
    const byStream = new Map<string, C[]>();
    for (const { streamId, command } of items) {
      const list = byStream.get(streamId);
      if (list) list.push(command);
      else byStream.set(streamId, [command]);
    }
    let written = 0;
    let unchanged = 0;
    const refused: Array<{ streamId: string; command: Command; error: Error }> = [];
    const requests: Array<{ streamId: string; events: NewEvent[]; expectedRevision: ExpectedRevision }> = [];
    const outcomes = new Map<CommandOutcome, string[]>();
    const ended = (command: Command, outcome: CommandOutcome) => {
      const types = outcomes.get(outcome);
      if (types) types.push(command.type);
      else outcomes.set(outcome, [command.type]);
    };
    const appending: string[] = [];
    try {
      for (const [streamId, commands] of byStream) {
        const history = await this.store.readStream(streamId);
        const seen = new Set(history.map((e) => e.metadata.commandId));
        let state = history.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState());
        const events: NewEvent[] = [];
        for (const command of commands) {
          if (seen.has(command.metadata.commandId)) {
            unchanged++;
            ended(command, 'replayed');
            continue;
          }
          let decided: E[];
          try {
            decided = decider.decide(command, state);
          } catch (error) {
            refused.push({ streamId, command, error: error as Error });
            ended(command, outcomeOf(error, false));
            continue;
          }
          ended(command, 'ok');
          if (decided.length === 0) {
            unchanged++;
            continue;
          }
          written++;
          appending.push(command.type);
          seen.add(command.metadata.commandId);
          decided.forEach((event, index) => events.push(this.toNewEvent(command, streamId, event, index)));
          state = decided.reduce((s, e) => decider.evolve(s, e), state);
        }
        if (events.length > 0) {
          const revision = history.length - 1;
          requests.push({ streamId, events, expectedRevision: revision < 0 ? 'no_stream' : revision });
        }
      }
      let position = 0;
      if (requests.length > 0) {
        const results = await this.store.appendToStreams(requests);
        position = results.reduce((max, r) => Math.max(max, r.position), 0);
      }
      for (const [outcome, types] of outcomes) this.report(types, outcome, started);
      return { written, unchanged, refused, position };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError)) {
        this.report(
          items.map((item) => item.command.type),
          outcomeOf(error, false),
          started,
        );
        throw error;
      }
      // Only the append can conflict. Each command it carried is tried again, and every command of
      // the batch then goes through `handle`, which reports it on its own.
      for (const type of appending) this.notify((observer) => observer.retried(type));
      return this.handleEach(decider, items);
    }
  }

  /** The slow path of `handleMany`: one command at a time, each with its own retries. */
  private async handleEach<C extends Command, E extends Event, S>(
    decider: Decider<C, E, S>,
    items: readonly StreamCommand<C>[],
  ): Promise<ManyResult> {
    let written = 0;
    let unchanged = 0;
    let position = 0;
    const refused: Array<{ streamId: string; command: Command; error: Error }> = [];
    for (const { streamId, command } of items) {
      try {
        const result = await this.handle(decider, streamId, command);
        if (result.replayed || result.events.length === 0) unchanged++;
        else written++;
        position = Math.max(position, result.position);
      } catch (error) {
        if (error instanceof ConcurrencyRetriesExhaustedError) throw error;
        refused.push({ streamId, command, error: error as Error });
      }
    }
    return { written, unchanged, refused, position };
  }

  /** Tells the observer that commands of these types ended with one outcome, one call per type. */
  private report(types: readonly string[], outcome: CommandOutcome, started: number): void {
    if (!this.observer) return;
    const seconds = (this.monotonicMs() - started) / 1000;
    const counts = new Map<string, number>();
    for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
    for (const [type, count] of counts) this.notify((observer) => observer.settled(type, outcome, seconds, count));
  }

  private notify(call: (observer: CommandObserver) => void): void {
    if (!this.observer) return;
    try {
      call(this.observer);
    } catch {
      // Metrics must never fail a command.
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

/** How a command that threw ended. `pinned`: the caller sent the revision it expects (If-Match). */
const outcomeOf = (error: unknown, pinned: boolean): CommandOutcome => {
  // Checked before DomainError: these are ConflictErrors too, but a race with another writer, not a refusal.
  if (error instanceof ConcurrencyRetriesExhaustedError || error instanceof DuplicateEventIdError) return 'conflict';
  if (error instanceof WrongExpectedRevisionError) return pinned ? 'precondition' : 'conflict';
  if (error instanceof DomainError) return 'rejected';
  return 'error';
};

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
