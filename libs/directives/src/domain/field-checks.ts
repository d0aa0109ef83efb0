import { type FieldError, isIsoDate } from '@app/kernel';

/** The longest text any directive field may hold (a whole section of a plan fits). */
export const MAX_TEXT_LENGTH = 10_000;

export { isIsoDate };

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
