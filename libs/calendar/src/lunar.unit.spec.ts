import { addDays } from './local-date';
import { leapMonthOf, lunarToSolar, solarToLunar } from './lunar';

describe('Vietnamese lunar calendar', () => {
  it.each([
    [2020, '2020-01-25'],
    [2021, '2021-02-12'],
    [2022, '2022-02-01'],
    [2023, '2023-01-22'],
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
    // The new moon falls at 23:07 Vietnam time on 2 February (00:07 on the 3rd in China, whose New Year is the 3rd).
    [2030, '2030-02-02'],
    [2033, '2033-01-31'],
  ])('Tết (1/1) of lunar year %i is %s', (year, date) => {
    expect(lunarToSolar(year, 1, 1)).toBe(date);
    expect(solarToLunar(date)).toEqual({ year, month: 1, day: 1, leap: false });
    expect(solarToLunar(addDays(date, -1)).year).toBe(year - 1);
  });

  it.each([
    // Years in which UTC+7 and UTC+8 give different months; China's New Year is in the comment.
    [1968, '1968-01-29'], // China 1968-01-30
    [1985, '1985-01-21'], // China 1985-02-20
    [2007, '2007-02-17'], // China 2007-02-18
  ])('computes Tết %i for Vietnam time, not China time: %s', (year, date) => {
    expect(lunarToSolar(year, 1, 1)).toBe(date);
  });

  it.each([
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
  ])("Hùng Kings' day (10/3) of %i is %s", (year, date) => {
    expect(lunarToSolar(year, 3, 10)).toBe(date);
    expect(solarToLunar(date)).toEqual({ year, month: 3, day: 10, leap: false });
  });

  it.each([
    [2020, 4],
    [2023, 2],
    [2025, 6],
    [2024, null],
    [2026, null],
  ])('the leap month of %i is %p', (year, month) => {
    expect(leapMonthOf(year)).toBe(month);
  });

  it('places the leap month 2 of 2023 after month 2 (22 Mar–19 Apr 2023)', () => {
    expect(lunarToSolar(2023, 2, 1)).toBe('2023-02-20');
    expect(lunarToSolar(2023, 2, 1, true)).toBe('2023-03-22');
    expect(solarToLunar('2023-04-19')).toEqual({ year: 2023, month: 2, day: 29, leap: true });
    expect(lunarToSolar(2023, 3, 1)).toBe('2023-04-20');
  });

  it('places the leap month 6 of 2025 after month 6 (25 Jul–22 Aug 2025)', () => {
    expect(lunarToSolar(2025, 6, 1, true)).toBe('2025-07-25');
    expect(solarToLunar('2025-08-22')).toEqual({ year: 2025, month: 6, day: 29, leap: true });
    expect(solarToLunar('2025-08-23')).toEqual({ year: 2025, month: 7, day: 1, leap: false });
  });

  it('knows which years end on the 30th of the last month: 2024 had a 30 Tết, 2025 did not', () => {
    expect(lunarToSolar(2023, 12, 30)).toBe('2024-02-09');
    expect(() => lunarToSolar(2024, 12, 30)).toThrow('must be at most 29 in month 12 of lunar year 2024');
  });

  it('refuses a leap month the year does not have', () => {
    expect(() => lunarToSolar(2024, 6, 1, true)).toThrow('6 is not a leap month in lunar year 2024');
  });

  it('goes solar → lunar → solar unchanged for every day of 2020–2035, one lunar day at a time', () => {
    let previous = solarToLunar('2019-12-31');
    for (let date = '2020-01-01'; date <= '2035-12-31'; date = addDays(date, 1)) {
      const lunar = solarToLunar(date);
      expect(lunarToSolar(lunar.year, lunar.month, lunar.day, lunar.leap)).toBe(date);
      if (lunar.day > 1) expect(lunar).toEqual({ ...previous, day: previous.day + 1 });
      else {
        expect([29, 30]).toContain(previous.day);
        const nextMonth = previous.month === 12 ? 1 : previous.month + 1;
        expect(lunar.month).toBe(lunar.leap ? previous.month : nextMonth);
        expect(lunar.year).toBe(nextMonth === 1 && !lunar.leap ? previous.year + 1 : previous.year);
      }
      previous = lunar;
    }
  });
});
