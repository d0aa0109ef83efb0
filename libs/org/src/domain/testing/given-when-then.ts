import { type Command, type Decider, DomainError, type Event } from '@app/kernel';

/**
 * `given(events).when(command).then(events | errorCode)` for any decider. `then` with a code
 * returns the error, for checks on its kind or fields; `onRefusal` sees every expected refusal,
 * so a spec can check that it covered every code.
 */
export const deciderSpec =
  <C extends Command, E extends Event, S>(decider: Decider<C, E, S>, onRefusal?: (error: DomainError) => void) =>
  (...given: E[]) => ({
    when: (command: C) => ({
      then(expected: readonly E[] | string): DomainError | undefined {
        const state = given.reduce(decider.evolve, decider.initialState());
        if (typeof expected !== 'string') {
          expect(decider.decide(command, state)).toEqual(expected);
          return undefined;
        }
        let events: E[];
        try {
          events = decider.decide(command, state);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          expect(error.code).toBe(expected);
          onRefusal?.(error);
          return error;
        }
        throw new Error(`Expected the refusal ${expected}, got ${JSON.stringify(events)}`);
      },
    }),
  });
