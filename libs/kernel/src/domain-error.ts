/**
 * Errors the domain throws, each with a stable code such as `REPORT.ALREADY_APPROVED`.
 * The HTTP layer maps the kind to a status code; nothing else inspects messages.
 */
export type DomainErrorKind = 'validation' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'illegal_state';

export type FieldError = Readonly<{ field: string; message: string }>;

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super('validation', code, message, { fields });
  }
}

export class IllegalStateError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('illegal_state', code, message, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('not_found', code, message, details);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('conflict', code, message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super('forbidden', code, message, details);
  }
}

/** Ends every `switch` over a union: a case left out fails to compile. */
export const assertNever = (value: never): never => {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
};
