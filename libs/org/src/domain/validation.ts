import type { FieldError } from '@app/kernel';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A calendar date written yyyy-mm-dd. Checked by arithmetic so the domain needs no Date. */
export const isIsoDate = (value: unknown): value is string => {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
};

export const isBlank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';

/** Problems with required text fields, each naming its field. */
export const blankFields = (values: Readonly<Record<string, unknown>>): FieldError[] =>
  Object.entries(values)
    .filter(([, value]) => isBlank(value))
    .map(([field]) => ({ field, message: 'must not be empty' }));

export const dateProblems = (field: string, value: unknown): FieldError[] =>
  isIsoDate(value) ? [] : [{ field, message: 'must be a date written yyyy-mm-dd' }];

/** Trims and puts Vietnamese text in composed form (NFC), so the same name typed on two systems compares equal. */
export const cleanText = (value: string): string => value.trim().normalize('NFC');
