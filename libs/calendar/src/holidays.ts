import { CalendarInputInvalid } from './calendar.errors';
import { addDays, assertWholeNumber, dayOfWeek, type LocalDate, localDateFromParts } from './local-date';
import { lunarToSolar } from './lunar';

export type PublicHoliday = Readonly<{ date: LocalDate; name: string; nameVi: string }>;

/**
 * Which day joins 2 September. Labour Code 2019 art. 112(1)(đ) gives "02 ngày (ngày 02 tháng 9 và
 * 01 ngày liền kề trước hoặc sau)" and art. 112(3) leaves the choice to the Prime Minister each year:
 * - `bridge` (the default): the neighbour that makes the longer break, as the government chose in
 *   every year from 2021 to 2025: a Monday or Friday neighbour first (2021: 3/9, 2023: 1/9,
 *   2025: 1/9), else the neighbour that is not already a weekend day (2022: 1/9, 2024: 3/9), else 1/9;
 * - `before`: always 1 September; `after`: always 3 September.
 */
export type NationalDaySecondDay = 'bridge' | 'before' | 'after';

export const NATIONAL_DAY_SECOND_DAYS: readonly NationalDaySecondDay[] = ['bridge', 'before', 'after'];

export type HolidayRuleOptions = Readonly<{ nationalDaySecondDay?: NationalDaySecondDay }>;

/** Saturday and Sunday: the weekly rest of state bodies (the 40-hour week of Decision 188/1999/QĐ-TTg). */
const WEEKEND: ReadonlySet<number> = new Set([0, 6]);

const TET_DAY_NAMES = ['last day of the lunar year', 'day 1', 'day 2', 'day 3', 'day 4'];
const TET_DAY_NAMES_VI = ['ngày cuối năm âm lịch', 'mùng 1', 'mùng 2', 'mùng 3', 'mùng 4'];

const nationalDaySecond = (year: number, rule: NationalDaySecondDay): LocalDate => {
  const before = localDateFromParts(year, 9, 1);
  const after = localDateFromParts(year, 9, 3);
  switch (rule) {
    case 'before':
      return before;
    case 'after':
      return after;
    case 'bridge': {
      const working = (d: LocalDate) => !WEEKEND.has(dayOfWeek(d));
      const bridges = (d: LocalDate) => working(d) && (!working(addDays(d, -1)) || !working(addDays(d, 1)));
      for (const test of [bridges, working]) {
        if (test(before)) return before;
        if (test(after)) return after;
      }
      return before;
    }
    default: {
      const unknown: never = rule;
      throw new CalendarInputInvalid(
        'nationalDaySecondDay',
        `must be one of ${NATIONAL_DAY_SECOND_DAYS.join(', ')}, got ${JSON.stringify(unknown)}`,
      );
    }
  }
};

/** The eleven days of Labour Code 2019 art. 112(1) in `year`, before any day off in lieu. */
const statutoryHolidays = (year: number, nationalDaySecondDay: NationalDaySecondDay): PublicHoliday[] => {
  const tetFirstDay = lunarToSolar(year, 1, 1);
  const tet = [-1, 0, 1, 2, 3].map((offset, i) => ({
    date: addDays(tetFirstDay, offset),
    name: `Lunar New Year (Tết), ${TET_DAY_NAMES[i]}`,
    nameVi: `Tết Nguyên đán (${TET_DAY_NAMES_VI[i]})`,
  }));
  const nationalDay = localDateFromParts(year, 9, 2);
  const nationalDay2 = nationalDaySecond(year, nationalDaySecondDay);
  return [
    { date: localDateFromParts(year, 1, 1), name: "New Year's Day", nameVi: 'Tết Dương lịch' },
    ...tet,
    { date: lunarToSolar(year, 3, 10), name: 'Hung Kings Commemoration Day', nameVi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' },
    { date: localDateFromParts(year, 4, 30), name: 'Reunification Day', nameVi: 'Ngày Chiến thắng' },
    { date: localDateFromParts(year, 5, 1), name: 'International Labour Day', nameVi: 'Ngày Quốc tế Lao động' },
    { date: nationalDay, name: 'National Day', nameVi: 'Quốc khánh' },
    { date: nationalDay2, name: 'National Day (second day)', nameVi: 'Quốc khánh (ngày liền kề)' },
  ].sort((a, b) => a.date.localeCompare(b.date));
};

/**
 * Public holidays of `year` by rule: Labour Code 2019 art. 112(1), plus art. 111(3): a holiday on a
 * weekly rest day gives a day off on the next working day (after any holiday that follows it).
 * Tết is the last day of the lunar year and lunar days 1–4 of the new one.
 *
 * Art. 112(3) lets the Prime Minister fix the days of Tết and of National Day each year, and the
 * government publishes the actual days off (e.g. Tết 2025 off
 * 25 Jan–2 Feb, its five days taken as 27–31 Jan, not 28 Jan–1 Feb plus 3 Feb as this rule gives),
 * sometimes swapping a working day for a Saturday. Deployments follow the decision with the
 * `add`/`remove` lists of a holiday override file (see `loadHolidayOverrides`).
 */
export const vietnamesePublicHolidays = (year: number, options: HolidayRuleOptions = {}): PublicHoliday[] => {
  assertWholeNumber(year, 'year', 1, 9998);
  const holidays = statutoryHolidays(year, options.nationalDaySecondDay ?? 'bridge');
  const taken = new Set(holidays.map((h) => h.date));
  const inLieu: PublicHoliday[] = [];
  for (const holiday of holidays) {
    if (!WEEKEND.has(dayOfWeek(holiday.date))) continue;
    let day = addDays(holiday.date, 1);
    while (WEEKEND.has(dayOfWeek(day)) || taken.has(day)) day = addDays(day, 1);
    taken.add(day);
    inLieu.push({ date: day, name: `Day off in lieu of ${holiday.name}`, nameVi: `Nghỉ bù ${holiday.nameVi}` });
  }
  return [...holidays, ...inLieu].sort((a, b) => a.date.localeCompare(b.date));
};
