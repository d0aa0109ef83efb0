import { CancelledError, DeadlineExceededError, NotLeaderError, TimeoutError, UnavailableError } from '@kurrent/kurrentdb-client';
import type { ExpectedRevision } from '../expected-revision';

/*
 * What the adapter does when a call to the server fails for a reason that may pass (a lost connection,
 * a leader election, a deadline): which calls it repeats, how often, and after how long.
 */

/** A call the client never answered within the adapter's own bound (the client has none on appends: see docs). */
export class OperationTimeoutError extends Error {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`KurrentDB did not answer ${operation} within ${timeoutMs} ms; it may or may not have been done`);
    this.name = 'OperationTimeoutError';
  }
}

/** The node refused before writing anything (it is not the leader): repeating is always safe. */
export const isRefusedBeforeWriting = (error: unknown): boolean => error instanceof NotLeaderError;

/**
 * The call was cut off or ran out of time: an append may have been written, or may still be. The client
 * reconnects (to the new leader after a not-leader answer) on the next call, but never repeats the call itself.
 */
export const isOutcomeUnknown = (error: unknown): boolean =>
  error instanceof UnavailableError ||
  error instanceof DeadlineExceededError ||
  error instanceof TimeoutError ||
  error instanceof CancelledError ||
  error instanceof OperationTimeoutError;

export const isTransient = (error: unknown): boolean => isRefusedBeforeWriting(error) || isOutcomeUnknown(error);

/**
 * The server recognises a repeated append (same event ids at the same place) only when the append states
 * where the stream must be: then a repeat of a write that did land is answered as a success and writes
 * nothing. With `any` or `stream_exists` it deduplicates from a cache of recent ids at best, which a new
 * leader does not have, so such an append is repeated only when it was refused before writing.
 */
export const isRepeatableAfterUnknownOutcome = (expected: ExpectedRevision | undefined): boolean =>
  expected === 'no_stream' || typeof expected === 'number';

export const mayRepeatAppend = (error: unknown, expected: readonly (ExpectedRevision | undefined)[]): boolean =>
  isRefusedBeforeWriting(error) || (isOutcomeUnknown(error) && expected.every(isRepeatableAfterUnknownOutcome));

export type RetryPolicy = Readonly<{
  /** Attempts after the first. */
  retries: number;
  /** The pause before retry number `attempt` (1, 2, …). */
  delayMs: (attempt: number) => number;
  sleep: (ms: number) => Promise<void>;
}>;

/** 200, 400, 800, 1600 ms: about three seconds, the time a three-node cluster takes to elect a new leader. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  delayMs: (attempt) => Math.min(2000, 100 * 2 ** attempt),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Runs `call`, repeating it after a growing pause while `mayRepeat` allows and the policy has retries left. */
export const withRetry = async <T>(
  policy: RetryPolicy,
  call: () => Promise<T>,
  mayRepeat: (error: unknown) => boolean,
): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt > policy.retries || !mayRepeat(error)) throw error;
      await policy.sleep(policy.delayMs(attempt));
    }
  }
};

/** Fails with OperationTimeoutError when `operation` has not settled after `timeoutMs` (Infinity: no bound). */
export const withTimeout = <T>(operation: Promise<T>, timeoutMs: number, what: string): Promise<T> => {
  if (!Number.isFinite(timeoutMs)) return operation;
  // A late failure of an operation given up on is not an unhandled rejection.
  operation.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OperationTimeoutError(what, timeoutMs)), timeoutMs);
    timer.unref?.();
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
};
