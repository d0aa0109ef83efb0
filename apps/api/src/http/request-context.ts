import type { FastifyRequest } from 'fastify';
import type { Principal } from '@app/auth';

/** What the guard and hooks attach to each request. */
export type EngineRequest = FastifyRequest & { principal?: Principal };

export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller-supplied correlation id when it is safe to echo, else the request id. */
export const correlationIdOf = (request: FastifyRequest): string => {
  const given = request.headers[CORRELATION_HEADER];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : String(request.id);
};
