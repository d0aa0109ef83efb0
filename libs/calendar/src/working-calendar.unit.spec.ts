import { WorkingCalendar } from './working-calendar';

describe('WorkingCalendar', () => {
  const vietnam = WorkingCalendar.vietnam();

  it('works Monday to Friday except public holidays and days in lieu', () => {
    expect(vietnam.isWorkingDay('2026-04-24')).toBe(true); // Friday
    expect(vietnam.isWorkingDay('2026-04-25')).toBe(false); // Saturday
    expect(vietnam.isWorkingDay('2026-04-26')).toBe(false); // Hùng Kings, Sunday
    expect(vietnam.isWorkingDay('2026-04-27')).toBe(false); // its day in lieu
    expect(vietnam.isWorkingDay('2026-04-28')).toBe(true);
    expect(vietnam.isWorkingDay('2026-02-18')).toBe(false); // Tết
  });

  it('moves a day off forward to the next working day, and leaves a working day alone', () => {
    expect(vietnam.onOrAfterWorkingDay('2026-02-16')).toBe('2026-02-23');
    expect(vietnam.onOrAfterWorkingDay('2026-04-30')).toBe('2026-05-04');
    expect(vietnam.onOrAfterWorkingDay('2026-05-04')).toBe('2026-05-04');
  });

  it('counts working days strictly after or before a date, skipping weekends and holidays', () => {
    expect(vietnam.addWorkingDays('2026-04-24', 1)).toBe('2026-04-28');
    expect(vietnam.addWorkingDays('2026-04-28', -1)).toBe('2026-04-24');
    expect(vietnam.addWorkingDays('2026-04-29', 2)).toBe('2026-05-05');
    expect(vietnam.addWorkingDays('2026-02-13', 1)).toBe('2026-02-23');
    expect(vietnam.addWorkingDays('2026-02-25', -3)).toBe('2026-02-13');
    expect(vietnam.addWorkingDays('2026-04-26', 0)).toBe('2026-04-26');
    // From a day off the count starts from that day too.
    expect(vietnam.addWorkingDays('2026-04-25', 1)).toBe('2026-04-28');
  });

  it('lists the holidays of a year in date order', () => {
    expect(vietnam.holidaysIn(2024)).toEqual([
      '2024-01-01',
      '2024-02-09',
      '2024-02-10',
      '2024-02-11',
      '2024-02-12',
      '2024-02-13',
      '2024-02-14',
      '2024-02-15',
      '2024-04-18',
      '2024-04-30',
      '2024-05-01',
      '2024-09-02',
      '2024-09-03',
    ]);
  });

  it('follows a government decision through add and remove (Tết 2025: 27 Jan off, 3 Feb worked)', () => {
    const decided = WorkingCalendar.vietnam({ add: ['2025-01-27'], remove: ['2025-02-03'] });
    expect(vietnam.isWorkingDay('2025-01-27')).toBe(true);
    expect(decided.isWorkingDay('2025-01-27')).toBe(false);
    expect(vietnam.isWorkingDay('2025-02-03')).toBe(false);
    expect(decided.isWorkingDay('2025-02-03')).toBe(true);
    expect(decided.addWorkingDays('2025-01-24', 1)).toBe('2025-02-03');
  });

  it('can take 3 September as the second National Day every year', () => {
    const after = WorkingCalendar.vietnam({ nationalDaySecondDay: 'after' });
    expect(after.isWorkingDay('2026-09-01')).toBe(true);
    expect(after.isWorkingDay('2026-09-03')).toBe(false);
  });

  it('refuses dates outside the years it knows rather than ignore their holidays', () => {
    const short = WorkingCalendar.vietnam({ years: [2026, 2026] });
    expect(short.isWorkingDay('2026-12-31')).toBe(true);
    expect(() => short.isWorkingDay('2027-01-01')).toThrow(
      '2027-01-01 is outside the years the working calendar knows (2026–2026)',
    );
    expect(() => short.addWorkingDays('2026-12-31', 1)).toThrow('outside the years');
    expect(() => vietnam.holidaysIn(2036)).toThrow('outside the years');
  });

  it('refuses an override that both adds and removes a date, and a malformed date', () => {
    expect(() => WorkingCalendar.vietnam({ add: ['2026-03-02'], remove: ['2026-03-02'] })).toThrow(
      '2026-03-02 is also in remove',
    );
    expect(() => WorkingCalendar.vietnam({ add: ['2026-02-30'] })).toThrow('add[0] must be a date YYYY-MM-DD');
  });

  it('takes any holidays and weekend days when built directly', () => {
    const fridayWeekend = new WorkingCalendar(['2026-01-04'], [5, 6]);
    expect(fridayWeekend.isWorkingDay('2026-01-03')).toBe(false); // Saturday
    expect(fridayWeekend.isWorkingDay('2026-01-04')).toBe(false); // Sunday, a holiday here
    expect(fridayWeekend.addWorkingDays('2026-01-01', 1)).toBe('2026-01-05'); // Thursday → Monday
    expect(fridayWeekend.isWorkingDay('2099-06-07')).toBe(true); // no year limit when none is given
    expect(() => new WorkingCalendar([], [0, 1, 2, 3, 4, 5, 6])).toThrow('must leave at least one working day');
  });
});
