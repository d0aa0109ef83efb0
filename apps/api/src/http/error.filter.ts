import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { DomainError, type FieldError } from '@app/kernel';
import { WrongExpectedRevisionError } from '@app/eventstore';
import { LOGGER } from '@app/platform';
import { type EngineRequest, correlationIdOf } from './request-context';

const STATUS: Record<string, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  illegal_state: 409,
};

export type ErrorBody = {
  error: { code: string; kind: string; message: string; fields?: readonly FieldError[]; correlationId: string };
};

/** Turns every error into `{ error: { code, kind, message, fields?, correlationId } }` with the right status. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<EngineRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const correlationId = correlationIdOf(request);
    const { status, body } = this.describe(exception, request, correlationId);
    if (status >= 500) this.logger.error({ err: exception, correlationId, url: request.url }, 'request failed');
    void reply.status(status).header('x-correlation-id', correlationId).send(body);
  }

  private describe(exception: unknown, request: EngineRequest, correlationId: string): { status: number; body: ErrorBody } {
    const body = (code: string, kind: string, message: string, fields?: readonly FieldError[]): ErrorBody => ({
      error: { code, kind, message, ...(fields && fields.length > 0 ? { fields } : {}), correlationId },
    });
    if (exception instanceof WrongExpectedRevisionError && request.headers['if-match'] !== undefined) {
      return { status: 412, body: body('PRECONDITION_FAILED', 'conflict', exception.message) };
    }
    if (exception instanceof DomainError) {
      const fields = (exception.details?.fields as FieldError[] | undefined) ?? undefined;
      return { status: STATUS[exception.kind] ?? 500, body: body(exception.code, exception.kind, exception.message, fields) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, body: body(httpCode(status), status < 500 ? 'http' : 'internal', exception.message) };
    }
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return {
        status: fastifyError.statusCode,
        body: body(fastifyError.code ?? httpCode(fastifyError.statusCode), 'http', fastifyError.message ?? 'Bad request'),
      };
    }
    return {
      status: 500,
      body: body('INTERNAL', 'internal', 'Something went wrong; quote the correlation id when reporting it'),
    };
  }
}

const httpCode = (status: number): string =>
  ({
    400: 'BAD_REQUEST',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
  })[status] ?? `HTTP_${status}`;
