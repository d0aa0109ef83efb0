import { CalendarInputInvalid } from './calendar.errors';

/** A calendar date in Vietnam, `YYYY-MM-DD`. Strings of one format compare and sort in time order. */
export type LocalDate = string;

/**
 * Vietnam's time (Asia/Ho_Chi_Minh) is UTC+7 all year: no daylight saving since 1975. A fixed
 * offset is therefore exact for every date the engine handles and needs no time-zone database.
 */
export const VIETNAM_UTC_OFFSET_HOURS = 7;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const OFFSET_MS = VIETNAM_UTC_OFFSET_HOURS * HOUR_MS;
const FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a (proleptic Gregorian) date; years 0–99 are taken literally. */
const epochDayOfParts = (year: number, month: number, day: number): number => {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / DAY_MS);
};

export const isLocalDate = (value: unknown): value is LocalDate => {
  if (typeof value !== 'string') return false;
  const m = FORMAT.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
};

export const daysInMonth = (year: number, month: number): number =>
  epochDayOfParts(year, month + 1, 1) - epochDayOfParts(year, month, 1);

export const assertLocalDate = (value: unknown, field = 'date'): LocalDate => {
  if (!isLocalDate(value)) throw new CalendarInputInvalid(field, `must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
};

export const assertWholeNumber = (value: unknown, field: string, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new CalendarInputInvalid(field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return value;
};

export const datePartsOf = (date: LocalDate): { year: number; month: number; day: number } => {
  const [year, month, day] = assertLocalDate(date).split('-').map(Number);
  return { year, month, day };
};

export const localDateFromParts = (year: number, month: number, day: number): LocalDate =>
  dateOfEpochDay(epochDayOfParts(year, month, day));

/** Days since 1970-01-01. */
export const epochDayOf = (date: LocalDate): number => {
  const { year, month, day } = datePartsOf(date);
  return epochDayOfParts(year, month, day);
};

export const dateOfEpochDay = (epochDay: number): LocalDate => {
  const d = new Date(epochDay * DAY_MS);
  const year = String(d.getUTCFullYear()).padStart(4, '0');
  const month = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${year}-${month}-${day}`;
};

/** The date in Vietnam at `instant`. */
export const localDateOf = (instant: Date): LocalDate => {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime()))
    throw new CalendarInputInvalid('instant', 'must be a valid Date');
  return dateOfEpochDay(Math.floor((instant.getTime() + OFFSET_MS) / DAY_MS));
};

/** The instant at which it is `hour:minute` on `date` in Vietnam. */
export const instantAt = (date: LocalDate, hour = 0, minute = 0): Date => {
  assertWholeNumber(hour, 'hour', 0, 23);
  assertWholeNumber(minute, 'minute', 0, 59);
  return new Date(epochDayOf(date) * DAY_MS + hour * HOUR_MS + minute * 60_000 - OFFSET_MS);
};

/** 23:59:59.999 on `date` in Vietnam: the last instant at which something due that day is on time. */
export const endOfLocalDay = (date: LocalDate): Date => new Date(instantAt(addDays(date, 1)).getTime() - 1);

export const addDays = (date: LocalDate, n: number): LocalDate => {
  assertWholeNumber(n, 'days', -1_000_000, 1_000_000);
  return dateOfEpochDay(epochDayOf(date) + n);
};

/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (date: LocalDate): number => (((epochDayOf(date) + 4) % 7) + 7) % 7;

/** Negative when `a` is earlier, 0 when equal, positive when later; usable with `Array.sort`. */
export const compareDates = (a: LocalDate, b: LocalDate): number => Math.sign(epochDayOf(a) - epochDayOf(b));
