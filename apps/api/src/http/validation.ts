import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import type { ValidationError as ClassValidatorError } from 'class-validator';
import { type FieldError, ValidationError } from '@app/kernel';

/** Every constraint that failed, each with the full path of its field. */
const constraintErrors = (errors: readonly ClassValidatorError[], prefix: string): FieldError[] =>
  errors.flatMap((error) => {
    const field = prefix
      ? /^\d+$/.test(error.property)
        ? `${prefix}[${error.property}]`
        : `${prefix}.${error.property}`
      : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...constraintErrors(error.children ?? [], field)];
  });

/**
 * Flattens class-validator's tree into one entry per offending field, with its full path; a field
 * that breaks several rules (a number sent for a text of 1-300 characters) gets them in one message.
 */
export const fieldErrors = (errors: readonly ClassValidatorError[], prefix = ''): FieldError[] => {
  const byField = new Map<string, string[]>();
  for (const { field, message } of constraintErrors(errors, prefix)) byField.set(field, [...(byField.get(field) ?? []), message]);
  return [...byField].map(([field, messages]) => ({ field, message: messages.join('; ') }));
};

const isPlainObject = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value);
const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'string' ? 'text' : `a ${typeof value}`;

/**
 * Every body of this API is a JSON object. Nest's pipe would read `null` as `{}` and validate an
 * array or a text against the DTO's fields, answering "name must be a string" to a body that is
 * not an object at all; this says what is wrong instead.
 */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value !== undefined && !isPlainObject(value)) {
      throw new ValidationError('REQUEST.INVALID', 'The body must be a JSON object, sent with Content-Type: application/json', [
        { field: 'body', message: `must be a JSON object, not ${describe(value)}` },
      ]);
    }
    return super.transform(value, metadata);
  }
}

/** DTOs are whitelisted: an unknown field is an error, not silently dropped. */
export const validationPipe = (): ValidationPipe =>
  new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = fieldErrors(errors);
      return new ValidationError('REQUEST.INVALID', `Invalid request: ${fields.map((f) => f.field).join(', ')}`, fields);
    },
  });
