import type { Actor, Event } from './event';

/** What every command carries besides its data. Time and ids come from here, never from a clock. */
export type CommandMetadata = Readonly<{
  commandId: string;
  actor: Actor;
  now: Date;
  correlationId?: string;
  causationId?: string;
}>;

export type Command<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

/**
 * An aggregate as three pure functions (Emmett's and Jérémie Chassaing's "decider").
 * `decide` throws a DomainError to refuse a command; it returns [] for a no-op.
 */
export type Decider<C extends Command, E extends Event, S> = Readonly<{
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S) => E[];
}>;
