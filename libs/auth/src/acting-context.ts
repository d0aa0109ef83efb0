import type { Actor, CommandMetadata } from '@app/kernel';
import type { Principal } from './jwt';

/** Who is acting, and the ids that come with an HTTP command (Idempotency-Key, correlation, If-Match). */
export type ActingContext = Readonly<{
  principal: Principal;
  commandId: string;
  correlationId: string;
  /** From If-Match: the revision of the command's stream the caller last saw. */
  expectedRevision?: number;
}>;

export const actorOf = (principal: Principal): Actor => ({ userId: principal.userId, unitId: principal.unitId });

export const commandMetadata = (context: ActingContext, now: Date): CommandMetadata => ({
  commandId: context.commandId,
  actor: actorOf(context.principal),
  now,
  correlationId: context.correlationId,
});
