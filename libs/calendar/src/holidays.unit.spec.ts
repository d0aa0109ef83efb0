import { vietnamesePublicHolidays } from './holidays';
import { dayOfWeek } from './local-date';

const datesOf = (year: number, options?: Parameters<typeof vietnamesePublicHolidays>[1]) =>
  vietnamesePublicHolidays(year, options).map((h) => h.date);

describe('Vietnamese public holidays by rule (Labour Code 2019, arts. 111–112)', () => {
  it('2026: Tết 16–20 Feb, Hùng Kings on Sunday 26 Apr with Monday 27 Apr in lieu, 30/4–1/5, 1–2 Sep', () => {
    expect(vietnamesePublicHolidays(2026)).toEqual([
      { date: '2026-01-01', name: "New Year's Day", nameVi: 'Tết Dương lịch' },
      {
        date: '2026-02-16',
        name: 'Lunar New Year (Tết), last day of the lunar year',
        nameVi: 'Tết Nguyên đán (ngày cuối năm âm lịch)',
      },
      { date: '2026-02-17', name: 'Lunar New Year (Tết), day 1', nameVi: 'Tết Nguyên đán (mùng 1)' },
      { date: '2026-02-18', name: 'Lunar New Year (Tết), day 2', nameVi: 'Tết Nguyên đán (mùng 2)' },
      { date: '2026-02-19', name: 'Lunar New Year (Tết), day 3', nameVi: 'Tết Nguyên đán (mùng 3)' },
      { date: '2026-02-20', name: 'Lunar New Year (Tết), day 4', nameVi: 'Tết Nguyên đán (mùng 4)' },
      { date: '2026-04-26', name: 'Hung Kings Commemoration Day', nameVi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' },
      {
        date: '2026-04-27',
        name: 'Day off in lieu of Hung Kings Commemoration Day',
        nameVi: 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)',
      },
      { date: '2026-04-30', name: 'Reunification Day', nameVi: 'Ngày Chiến thắng' },
      { date: '2026-05-01', name: 'International Labour Day', nameVi: 'Ngày Quốc tế Lao động' },
      { date: '2026-09-01', name: 'National Day (second day)', nameVi: 'Quốc khánh (ngày liền kề)' },
      { date: '2026-09-02', name: 'National Day', nameVi: 'Quốc khánh' },
    ]);
  });

  it('2025: the fifth day of Tết is a Saturday, so Monday 3 Feb is off in lieu', () => {
    expect(datesOf(2025).filter((d) => d < '2025-03-01')).toEqual([
      '2025-01-01',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-03',
    ]);
  });

  it('2022: 30/4 on Saturday and 1/5 on Sunday give Monday and Tuesday; 1/1 on Saturday gives Monday 3 Jan', () => {
    const dates = datesOf(2022);
    expect(dates).toEqual(expect.arrayContaining(['2022-01-03', '2022-05-02', '2022-05-03']));
    expect(dates).not.toContain('2022-01-02');
  });

  it('2023: Hùng Kings on Saturday and 30/4 on Sunday; their days in lieu follow the Monday holiday 1/5', () => {
    expect(datesOf(2023).filter((d) => d >= '2023-04-01' && d <= '2023-05-31')).toEqual([
      '2023-04-29',
      '2023-04-30',
      '2023-05-01',
      '2023-05-02',
      '2023-05-03',
    ]);
  });

  it.each([
    // 2 September falls on: 2021 Thursday, 2022 Friday, 2023 Saturday, 2024 Monday, 2025 Tuesday, 2026 Wednesday.
    [2021, ['2021-09-02', '2021-09-03']],
    [2022, ['2022-09-01', '2022-09-02']],
    [2023, ['2023-09-01', '2023-09-02', '2023-09-04']],
    [2024, ['2024-09-02', '2024-09-03']],
    [2025, ['2025-09-01', '2025-09-02']],
    [2026, ['2026-09-01', '2026-09-02']],
  ])('National Day %i, second day by the bridge rule: %p', (year, expected) => {
    expect(datesOf(year).filter((d) => d.slice(5, 7) === '09')).toEqual(expected);
  });

  it('takes 1/9 or 3/9 every year when told to', () => {
    expect(datesOf(2024, { nationalDaySecondDay: 'before' }).filter((d) => d.slice(5, 7) === '09')).toEqual([
      '2024-09-01',
      '2024-09-02',
      '2024-09-03',
    ]); // Sunday 1/9 is then made up on Tuesday 3/9
    expect(datesOf(2025, { nationalDaySecondDay: 'after' }).filter((d) => d.slice(5, 7) === '09')).toEqual([
      '2025-09-02',
      '2025-09-03',
    ]);
  });

  it('every year 2020–2035 has the 11 statutory days plus one weekday in lieu per statutory day on a weekend', () => {
    for (let year = 2020; year <= 2035; year++) {
      const holidays = vietnamesePublicHolidays(year);
      const statutory = holidays.filter((h) => !h.name.startsWith('Day off in lieu'));
      const inLieu = holidays.filter((h) => h.name.startsWith('Day off in lieu'));
      expect(statutory).toHaveLength(11);
      expect(inLieu).toHaveLength(statutory.filter((h) => [0, 6].includes(dayOfWeek(h.date))).length);
      inLieu.forEach((h) => expect([0, 6]).not.toContain(dayOfWeek(h.date)));
      expect(new Set(holidays.map((h) => h.date)).size).toBe(holidays.length);
      expect(holidays.every((h) => h.date.startsWith(`${year}-`))).toBe(true);
    }
  });
});
