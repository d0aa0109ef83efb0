import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ValidationError } from '@app/kernel';
import type { Principal } from '@app/auth';
import { type EngineRequest, correlationIdOf } from './request-context';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const ETAG = /^(?:W\/)?"(-?\d{1,15})"$/;

export type CommandContext = Readonly<{
  principal: Principal;
  commandId: string;
  correlationId: string;
  /** From If-Match: the stream revision the caller last saw. */
  expectedRevision?: number;
}>;

/** Reads what every command needs from the request: who, the idempotency key, correlation, If-Match. */
export const commandContextOf = (request: EngineRequest): CommandContext => {
  if (!request.principal) throw new Error('commandContextOf needs an authenticated request');
  const key = request.headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
    throw new ValidationError(
      'REQUEST.BAD_IDEMPOTENCY_KEY',
      'Idempotency-Key must be 8 to 128 characters of A-Z a-z 0-9 . _ : -',
      [{ field: 'Idempotency-Key', message: 'must be 8 to 128 characters of A-Z a-z 0-9 . _ : -' }],
    );
  }
  const ifMatch = request.headers['if-match'];
  let expectedRevision: number | undefined;
  if (ifMatch !== undefined) {
    const match = typeof ifMatch === 'string' ? ETAG.exec(ifMatch.trim()) : null;
    if (!match) {
      throw new ValidationError('REQUEST.BAD_IF_MATCH', 'If-Match must be an ETag such as "3"', [
        { field: 'If-Match', message: 'must be an ETag such as "3" (the revision returned by the last read or command)' },
      ]);
    }
    expectedRevision = Number(match[1]);
  }
  return {
    principal: request.principal,
    // The key is scoped to the user, so two users can never collide on a key.
    commandId: key ? `${request.principal.userId}:${key}` : randomUUID(),
    correlationId: correlationIdOf(request),
    expectedRevision,
  };
};

export const Cmd = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  commandContextOf(context.switchToHttp().getRequest<EngineRequest>()),
);
