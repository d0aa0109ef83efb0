import { type FieldError } from '@app/kernel';

/** The longest text any directive field may hold (a whole section of a plan fits). */
export const MAX_TEXT_LENGTH = 10_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date written `yyyy-mm-dd`. Checked by arithmetic: domain code builds no Date from a clock. */
export const isIsoDate = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
};

export const isNonBlank = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

/** Collects field problems; each check names the field it is about. */
export class FieldProblems {
  readonly list: FieldError[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  addAll(problems: readonly FieldError[]): void {
    for (const problem of problems) this.list.push(problem);
  }

  /** A required, non-blank text of bounded length. */
  text(value: unknown, field: string): void {
    if (!isNonBlank(value)) this.add(field, 'is required');
    else if (value.length > MAX_TEXT_LENGTH) this.add(field, `must be at most ${MAX_TEXT_LENGTH} characters`);
  }

  /** An optional text: absent, or a non-blank text of bounded length. */
  optionalText(value: unknown, field: string): void {
    if (value !== undefined) this.text(value, field);
  }

  date(value: unknown, field: string): void {
    if (!isIsoDate(value)) this.add(field, 'must be a date written yyyy-mm-dd');
  }

  get isEmpty(): boolean {
    return this.list.length === 0;
  }
}

export const isOneOf = <T extends string>(allowed: readonly T[], value: unknown): value is T =>
  (allowed as readonly unknown[]).includes(value);
