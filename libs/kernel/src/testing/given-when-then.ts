import { type Command, type Decider } from '../decider';
import { type Event } from '../event';
import { DomainError, type DomainErrorKind, type FieldError } from '../domain-error';

/**
 * Given past events, when a command is decided, then these events (or this refusal).
 * A local helper for the unit specs; it is not part of the library's runtime.
 */
export const deciderSpec = <C extends Command, E extends Event, S>(decider: Decider<C, E, S>) => ({
  given: (history: readonly E[]) => ({
    when: (command: C) => {
      const decide = (): E[] =>
        decider.decide(
          command,
          history.reduce((state, event) => decider.evolve(state, event), decider.initialState()),
        );
      return {
        then: (expected: readonly E[]): void => {
          expect(decide()).toEqual(expected);
        },
        thenNothing: (): void => {
          expect(decide()).toEqual([]);
        },
        /** The events, for assertions the exact list would make noisy. */
        events: (): E[] => decide(),
        /** Refused with this code (and kind); `fields` must all be among the fields the refusal names. */
        thenRefused: (code: string, kind?: DomainErrorKind, fields?: readonly string[]): DomainError => {
          let refusal: unknown;
          try {
            decide();
          } catch (error) {
            refusal = error;
          }
          expect(refusal).toBeInstanceOf(DomainError);
          const error = refusal as DomainError;
          expect(error.code).toBe(code);
          if (kind) expect(error.kind).toBe(kind);
          if (fields) expect(fieldsOf(error)).toEqual(expect.arrayContaining([...fields]));
          return error;
        },
      };
    },
  }),
});

/** The fields a refusal names, for `toContain` checks. */
export const fieldsOf = (error: DomainError): string[] =>
  ((error.details?.fields as FieldError[] | undefined) ?? []).map((f) => f.field);
