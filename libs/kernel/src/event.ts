/**
 * A domain event as deciders see it: a type and its data, nothing else.
 * Metadata (who, when, why) is added by the command handler when it appends.
 */
export type Event<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/** Who acted: a user acting for a unit, or a saga (`system:<saga>`). */
export type Actor = Readonly<{ userId: string; unitId?: string }>;

export const systemActor = (saga: string): Actor => ({ userId: `system:${saga}` });
