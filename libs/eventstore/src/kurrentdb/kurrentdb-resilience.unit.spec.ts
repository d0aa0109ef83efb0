import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { reportedPosition } from './kurrentdb-mapping';
import {
  DEFAULT_RETRY_POLICY,
  isOutcomeUnknown,
  isTransient,
  mayRepeatAppend,
  OperationTimeoutError,
  withRetry,
  withTimeout,
} from './kurrentdb-resilience';

const conflict = (): WrongExpectedVersionError =>
  new WrongExpectedVersionError(undefined, { streamName: 'report-1', expected: 3n, current: 4n });
const notLeader = (): NotLeaderError =>
  new NotLeaderError({ metadata: { 'leader-endpoint-host': 'node-2', 'leader-endpoint-port': '2113' } } as never);

describe('KurrentDB failure handling', () => {
  it('tells a refusal before writing from a call whose outcome is unknown, and both from real errors', () => {
    expect(isTransient(notLeader())).toBe(true);
    expect(isOutcomeUnknown(notLeader())).toBe(false);
    for (const error of [
      new UnavailableError(),
      new DeadlineExceededError(),
      new TimeoutError(),
      new CancelledError(),
      new OperationTimeoutError('an append', 10),
    ]) {
      expect(isOutcomeUnknown(error)).toBe(true);
    }
    for (const error of [new AccessDeniedError(), conflict(), new Error('bug'), 'text']) {
      expect(isTransient(error)).toBe(false);
    }
  });

  it('repeats an append after an unknown outcome only when every stream states where it must be', () => {
    expect(mayRepeatAppend(new UnavailableError(), ['no_stream', 0, 7])).toBe(true);
    expect(mayRepeatAppend(new UnavailableError(), ['no_stream', 'any'])).toBe(false);
    expect(mayRepeatAppend(new DeadlineExceededError(), ['stream_exists'])).toBe(false);
    expect(mayRepeatAppend(new DeadlineExceededError(), [undefined])).toBe(false);
    expect(mayRepeatAppend(notLeader(), ['any', undefined])).toBe(true);
    expect(mayRepeatAppend(conflict(), [3])).toBe(false);
  });

  it('pauses 200, 400, 800 and 1600 ms by default, then gives up', async () => {
    const delays: number[] = [];
    let calls = 0;
    const policy = { ...DEFAULT_RETRY_POLICY, sleep: async (ms: number) => void delays.push(ms) };
    const failing = withRetry(
      policy,
      async () => {
        calls += 1;
        throw new UnavailableError();
      },
      isTransient,
    );
    await expect(failing).rejects.toBeInstanceOf(UnavailableError);
    expect(calls).toBe(5);
    expect(delays).toEqual([200, 400, 800, 1600]);
    expect(await withRetry(policy, async () => 'first time', isTransient)).toBe('first time');
    expect(delays).toHaveLength(4);
  });

  it('bounds a call that never settles, and leaves a settled one alone', async () => {
    await expect(withTimeout(new Promise(() => undefined), 5, 'an append')).rejects.toMatchObject({
      name: 'OperationTimeoutError',
      operation: 'an append',
    });
    expect(await withTimeout(Promise.resolve(7), 5, 'an append')).toBe(7);
    await expect(withTimeout(Promise.reject(new Error('refused')), 5, 'an append')).rejects.toThrow('refused');
  });

  it('reads an append position only when the server reported one', () => {
    expect(reportedPosition(4242n)).toBe(4242);
    expect(reportedPosition(undefined)).toBeUndefined();
    expect(reportedPosition(-1n)).toBeUndefined();
    expect(reportedPosition(2n ** 64n - 1n)).toBeUndefined();
    expect(() => reportedPosition(2n ** 53n)).toThrow(RangeError);
  });
});
