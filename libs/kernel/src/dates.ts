/**
 * Date, instant and period-key checks shared by the deciders. Checked by arithmetic and patterns:
 * domain code builds no Date from a clock, and Date.parse accepts 30 February.
 */

const isCalendarDay = (year: number, month: number, day: number): boolean => {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
};

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})/;
const hasCalendarDate = (v: string): boolean => {
  const m = DATE_PREFIX.exec(v);
  return m !== null && isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
};

/** A calendar date written `yyyy-mm-dd`. */
export const isIsoDate = (v: unknown): v is string => typeof v === 'string' && v.length === 10 && hasCalendarDate(v);

/** An instant with its offset: `2026-07-20T16:59:59.999Z`, `2026-07-20T23:59:59+07:00`. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
export const isIsoInstant = (v: unknown): v is string => typeof v === 'string' && ISO_INSTANT.test(v) && hasCalendarDate(v);

/**
 * Reporting period keys: `2026` (year), `2026-H1`/`2026-H2` (half), `2026-Q1`…`2026-Q4` (quarter),
 * `2026-01`…`2026-12` (month), `2026-R1`, `2026-R2`, … (ad-hoc requests of the year, in order).
 * Keys of one kind sort in time order as plain strings.
 */
const PERIOD_KEY = /^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]|R[1-9]\d{0,3}))?$/;
export const isPeriodKey = (value: unknown): value is string => typeof value === 'string' && PERIOD_KEY.test(value);
export const PERIOD_KEY_HINT = 'must be a period key such as 2026, 2026-H1, 2026-Q2, 2026-03 or 2026-R1';
