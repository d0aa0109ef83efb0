/**
 * How a command ended, as an operator counts it:
 * - `ok`: decided (events written, or nothing to write);
 * - `replayed`: its id was already in the stream (an idempotent repeat); nothing written;
 * - `rejected`: refused by the domain (a DomainError: illegal state, validation, not found, …);
 * - `conflict`: other writers kept moving the stream and the handler gave up (409), or a fan-out
 *   stream was taken;
 * - `precondition`: the caller pinned a revision (If-Match) and the stream had moved on (412);
 * - `error`: anything else (the store failed, a bug).
 */
export type CommandOutcome = 'ok' | 'replayed' | 'rejected' | 'conflict' | 'precondition' | 'error';

/** Told about every command the handler settles. Implementations must be cheap and must not throw. */
export interface CommandObserver {
  /**
   * `count` commands of one type ended with one outcome; `seconds` is how long the handler call took.
   * A single command reports count 1; a batch (an import, a period opening, timers firing) reports
   * once per type and outcome, each with the whole batch's duration.
   */
  settled(type: string, outcome: CommandOutcome, seconds: number, count: number): void;
  /** An append refused because another writer moved a stream first, and tried again. */
  retried(type: string): void;
}
