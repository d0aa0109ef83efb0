import { ValidationPipe } from '@nestjs/common';
import type { ValidationError as ClassValidatorError } from 'class-validator';
import { type FieldError, ValidationError } from '@app/kernel';

/** Flattens class-validator's tree into one entry per offending field, with its full path. */
export const fieldErrors = (errors: readonly ClassValidatorError[], prefix = ''): FieldError[] =>
  errors.flatMap((error) => {
    const field = prefix
      ? /^\d+$/.test(error.property)
        ? `${prefix}[${error.property}]`
        : `${prefix}.${error.property}`
      : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });

/** DTOs are whitelisted: an unknown field is an error, not silently dropped. */
export const validationPipe = (): ValidationPipe =>
  new ValidationPipe({
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
