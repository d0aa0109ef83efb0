import { CalendarInputInvalid, PeriodKeyInvalid } from './calendar.errors';
import {
  addDays,
  assertLocalDate,
  assertWholeNumber,
  compareDates,
  datePartsOf,
  daysInMonth,
  type LocalDate,
  localDateFromParts,
} from './local-date';

/** The cadences with fixed periods; the engine's `on_request` has none and is handled elsewhere. */
export type Cadence = 'monthly' | 'quarterly' | 'half_yearly' | 'yearly';

export const CADENCES: readonly Cadence[] = ['monthly', 'quarterly', 'half_yearly', 'yearly'];

export type DateRange = Readonly<{ from: LocalDate; to: LocalDate }>;

export type ReportingPeriod = Readonly<{ key: string; cadence: Cadence; nominal: DateRange; window: DateRange }>;

/** Decree 09/2019/NĐ-CP art. 12: report data run from the 15th of one month to the 14th of the next. */
export const DEFAULT_CUT_OFF_DAY = 14;

/** A period as months: `months` calendar months from `firstMonth` of `year`. */
type Span = Readonly<{ year: number; firstMonth: number; months: number }>;

const MONTHS: Record<Cadence, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };

const KEY: Record<Cadence, RegExp> = {
  monthly: /^(\d{4})-(0[1-9]|1[0-2])$/,
  quarterly: /^(\d{4})-Q([1-4])$/,
  half_yearly: /^(\d{4})-H([12])$/,
  yearly: /^(\d{4})$/,
};

/** The cadence a period key is written in (`2026` yearly, `2026-H1`, `2026-Q2`, `2026-05`); none for ad hoc `R` keys. */
export const cadenceOfPeriodKey = (key: string): Cadence | null =>
  CADENCES.find((cadence) => typeof key === 'string' && KEY[cadence].test(key)) ?? null;

const assertCadence = (cadence: unknown): Cadence => {
  if (!(CADENCES as readonly unknown[]).includes(cadence))
    throw new CalendarInputInvalid('cadence', `must be one of ${CADENCES.join(', ')}, got ${JSON.stringify(cadence)}`);
  return cadence as Cadence;
};

const spanOfKey = (cadence: Cadence, key: string): Span => {
  const m = typeof key === 'string' ? KEY[assertCadence(cadence)].exec(key) : null;
  if (!m) throw new PeriodKeyInvalid(cadence, key);
  const months = MONTHS[cadence];
  const index = m[2] === undefined ? 1 : Number(m[2]); // which month, quarter or half of the year
  return { year: Number(m[1]), firstMonth: (index - 1) * months + 1, months };
};

const keyOfSpan = (cadence: Cadence, { year, firstMonth }: Span): string => {
  const y = String(year).padStart(4, '0');
  switch (cadence) {
    case 'monthly':
      return `${y}-${String(firstMonth).padStart(2, '0')}`;
    case 'quarterly':
      return `${y}-Q${(firstMonth + 2) / 3}`;
    case 'half_yearly':
      return `${y}-H${firstMonth === 1 ? 1 : 2}`;
    case 'yearly':
      return y;
    default: {
      const unknown: never = cadence;
      throw new CalendarInputInvalid('cadence', `is not supported: ${JSON.stringify(unknown)}`);
    }
  }
};

/** The month `offset` months after (or before) `month` of `year`. */
const shiftMonth = (year: number, month: number, offset: number): { year: number; month: number } => {
  const index = year * 12 + (month - 1) + offset;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
};

const nominalOf = ({ year, firstMonth, months }: Span): DateRange => {
  const last = shiftMonth(year, firstMonth, months - 1);
  return {
    from: localDateFromParts(year, firstMonth, 1),
    to: localDateFromParts(last.year, last.month, daysInMonth(last.year, last.month)),
  };
};

/** From the day after the cut-off in the month before the period to the cut-off in its last month. */
const windowOf = ({ year, firstMonth, months }: Span, cutOffDay: number): DateRange => {
  const before = shiftMonth(year, firstMonth, -1);
  const last = shiftMonth(year, firstMonth, months - 1);
  return {
    from: addDays(localDateFromParts(before.year, before.month, cutOffDay), 1),
    to: localDateFromParts(last.year, last.month, cutOffDay),
  };
};

/** The key of the period whose calendar month, quarter, half or year contains `date`. */
export const periodKeyOf = (cadence: Cadence, date: LocalDate): string => {
  const months = MONTHS[assertCadence(cadence)];
  const { year, month } = datePartsOf(date);
  return keyOfSpan(cadence, { year, firstMonth: Math.floor((month - 1) / months) * months + 1, months });
};

/**
 * The period `key` of `cadence`: its calendar range (`nominal`) and its data window under
 * Decree 09/2019/NĐ-CP, which ends on `cutOffDay` (1..28) of the period's last month and starts
 * the day after the cut-off of the month before the period.
 */
export const reportingPeriod = (cadence: Cadence, key: string, cutOffDay = DEFAULT_CUT_OFF_DAY): ReportingPeriod => {
  assertWholeNumber(cutOffDay, 'cutOffDay', 1, 28);
  const span = spanOfKey(cadence, key);
  return { key, cadence, nominal: nominalOf(span), window: windowOf(span, cutOffDay) };
};

export const nextPeriodKey = (cadence: Cadence, key: string): string => {
  const span = spanOfKey(cadence, key);
  const next = shiftMonth(span.year, span.firstMonth, span.months);
  return keyOfSpan(cadence, { ...span, year: next.year, firstMonth: next.month });
};

/** Every period whose calendar range overlaps [from, to], in time order. */
export const periodsOverlapping = (
  cadence: Cadence,
  from: LocalDate,
  to: LocalDate,
  cutOffDay = DEFAULT_CUT_OFF_DAY,
): ReportingPeriod[] => {
  if (compareDates(assertLocalDate(from, 'from'), assertLocalDate(to, 'to')) > 0)
    throw new CalendarInputInvalid('to', `${to} is before ${from}`);
  const periods: ReportingPeriod[] = [];
  for (let key = periodKeyOf(cadence, from); ; key = nextPeriodKey(cadence, key)) {
    const period = reportingPeriod(cadence, key, cutOffDay);
    if (compareDates(period.nominal.from, to) > 0) return periods;
    periods.push(period);
  }
};
