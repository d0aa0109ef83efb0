import { CalendarInputInvalid, DateOutsideCalendar } from './calendar.errors';
import { type HolidayRuleOptions, vietnamesePublicHolidays } from './holidays';
import { addDays, assertLocalDate, assertWholeNumber, datePartsOf, dayOfWeek, type LocalDate } from './local-date';

export type VietnamCalendarOptions = HolidayRuleOptions &
  Readonly<{
    /** First and last year whose public holidays the calendar knows; other dates are refused. Default 2020–2035. */
    years?: readonly [number, number];
    /** Days off the government decided beyond the rule (e.g. a swapped working day). */
    add?: readonly LocalDate[];
    /** Days the rule gives that the decision does not. */
    remove?: readonly LocalDate[];
  }>;

/** Ten years of working days: any count beyond is a mistake, not a deadline. */
const MAX_WORKING_DAYS = 2600;

/** Which days are worked: not a weekend day and not a holiday. Immutable. */
export class WorkingCalendar {
  private readonly holidays: ReadonlySet<LocalDate>;
  private readonly weekend: ReadonlySet<number>;
  private readonly years: readonly [number, number] | null;

  /** `years`, when given, are the only years the holiday list covers: other dates are refused. */
  constructor(holidays: Iterable<LocalDate>, weekendDays: readonly number[] = [0, 6], years?: readonly [number, number]) {
    const dates = [...holidays];
    dates.forEach((d, i) => assertLocalDate(d, `holidays[${i}]`));
    weekendDays.forEach((d, i) => assertWholeNumber(d, `weekendDays[${i}]`, 0, 6));
    if (new Set(weekendDays).size === 7)
      throw new CalendarInputInvalid('weekendDays', 'must leave at least one working day in the week');
    if (years) {
      assertWholeNumber(years[0], 'years[0]', 1, 9998);
      assertWholeNumber(years[1], 'years[1]', years[0], 9998);
    }
    this.holidays = new Set(dates);
    this.weekend = new Set(weekendDays);
    this.years = years ? [years[0], years[1]] : null;
  }

  /**
   * Saturday and Sunday off, and the public holidays of `years` by rule (`vietnamesePublicHolidays`),
   * less `remove`, plus `add`. Asking about a date outside `years` throws rather than answer
   * without that year's holidays.
   */
  static vietnam(options: VietnamCalendarOptions = {}): WorkingCalendar {
    const [from, to] = options.years ?? [2020, 2035];
    assertWholeNumber(from, 'years[0]', 1, 9998);
    assertWholeNumber(to, 'years[1]', from, 9998);
    const add = (options.add ?? []).map((d, i) => assertLocalDate(d, `add[${i}]`));
    const remove = new Set((options.remove ?? []).map((d, i) => assertLocalDate(d, `remove[${i}]`)));
    const both = add.find((d) => remove.has(d));
    if (both) throw new CalendarInputInvalid('add', `${both} is also in remove`);
    const holidays = new Set<LocalDate>();
    for (let year = from; year <= to; year++)
      for (const h of vietnamesePublicHolidays(year, options)) if (!remove.has(h.date)) holidays.add(h.date);
    add.forEach((d) => holidays.add(d));
    return new WorkingCalendar(holidays, [0, 6], [from, to]);
  }

  isWorkingDay(date: LocalDate): boolean {
    this.assertKnown(date);
    return !this.weekend.has(dayOfWeek(date)) && !this.holidays.has(date);
  }

  /** `date` when it is a working day, else the next working day. */
  onOrAfterWorkingDay(date: LocalDate): LocalDate {
    return this.isWorkingDay(date) ? date : this.walk(date, 1, 1);
  }

  /** n > 0: the n-th working day after `date`; n < 0: the |n|-th before it; 0: `date` itself. */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    assertWholeNumber(n, 'n', -MAX_WORKING_DAYS, MAX_WORKING_DAYS);
    this.assertKnown(date);
    return n === 0 ? date : this.walk(date, n > 0 ? 1 : -1, Math.abs(n));
  }

  /** The holidays of `year`, in date order (rule days, days in lieu and added days; not plain weekends). */
  holidaysIn(year: number): LocalDate[] {
    assertWholeNumber(year, 'year', 1, 9998);
    if (this.years && (year < this.years[0] || year > this.years[1]))
      throw new DateOutsideCalendar(String(year), this.years[0], this.years[1]);
    const prefix = `${String(year).padStart(4, '0')}-`;
    return [...this.holidays].filter((d) => d.startsWith(prefix)).sort();
  }

  private walk(from: LocalDate, step: 1 | -1, count: number): LocalDate {
    let date = from;
    for (let found = 0; found < count;) {
      date = addDays(date, step);
      if (this.isWorkingDay(date)) found++;
    }
    return date;
  }

  private assertKnown(date: LocalDate): void {
    const { year } = datePartsOf(date);
    if (this.years && (year < this.years[0] || year > this.years[1]))
      throw new DateOutsideCalendar(date, this.years[0], this.years[1]);
  }
}
