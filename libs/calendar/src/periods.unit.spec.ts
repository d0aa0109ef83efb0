import { deadlinesOf } from './deadlines';
import { cadenceOfPeriodKey, nextPeriodKey, periodKeyOf, periodsOverlapping, reportingPeriod } from './periods';
import { WorkingCalendar } from './working-calendar';

describe('reporting periods (Decree 09/2019/NĐ-CP)', () => {
  it('monthly 2026-03: the calendar month; data from 15 Feb to 14 Mar', () => {
    expect(reportingPeriod('monthly', '2026-03')).toEqual({
      key: '2026-03',
      cadence: 'monthly',
      nominal: { from: '2026-03-01', to: '2026-03-31' },
      window: { from: '2026-02-15', to: '2026-03-14' },
    });
  });

  it('quarterly 2026-Q1: data from 15 Dec 2025 to 14 Mar 2026', () => {
    expect(reportingPeriod('quarterly', '2026-Q1')).toMatchObject({
      nominal: { from: '2026-01-01', to: '2026-03-31' },
      window: { from: '2025-12-15', to: '2026-03-14' },
    });
    expect(reportingPeriod('quarterly', '2026-Q4').window).toEqual({ from: '2026-09-15', to: '2026-12-14' });
  });

  it('half-yearly: H1 from 15 Dec to 14 Jun, H2 from 15 Jun to 14 Dec', () => {
    expect(reportingPeriod('half_yearly', '2026-H1')).toMatchObject({
      nominal: { from: '2026-01-01', to: '2026-06-30' },
      window: { from: '2025-12-15', to: '2026-06-14' },
    });
    expect(reportingPeriod('half_yearly', '2026-H2')).toMatchObject({
      nominal: { from: '2026-07-01', to: '2026-12-31' },
      window: { from: '2026-06-15', to: '2026-12-14' },
    });
  });

  it('yearly 2026: data from 15 Dec 2025 to 14 Dec 2026', () => {
    expect(reportingPeriod('yearly', '2026')).toMatchObject({
      nominal: { from: '2026-01-01', to: '2026-12-31' },
      window: { from: '2025-12-15', to: '2026-12-14' },
    });
  });

  it('moves the window with the cut-off day; after a cut-off of 28 in February the window starts on 1 March', () => {
    expect(reportingPeriod('monthly', '2026-03', 20).window).toEqual({ from: '2026-02-21', to: '2026-03-20' });
    expect(reportingPeriod('monthly', '2026-03', 28).window).toEqual({ from: '2026-03-01', to: '2026-03-28' });
    expect(reportingPeriod('monthly', '2024-03', 28).window).toEqual({ from: '2024-02-29', to: '2024-03-28' });
    expect(reportingPeriod('quarterly', '2026-Q1', 1).window).toEqual({ from: '2025-12-02', to: '2026-03-01' });
    expect(() => reportingPeriod('monthly', '2026-03', 29)).toThrow('cutOffDay must be a whole number from 1 to 28');
  });

  it.each([
    ['quarterly', '2026-03'],
    ['monthly', '2026-13'],
    ['monthly', '2026-Q1'],
    ['half_yearly', '2026-H3'],
    ['yearly', '2026-Q1'],
    ['quarterly', '2026-R1'],
  ] as const)('refuses %s key %s', (cadence, key) => {
    expect(() => reportingPeriod(cadence, key)).toThrow(`"${key}" is not a ${cadence} period key`);
    expect(() => nextPeriodKey(cadence, key)).toThrow(expect.objectContaining({ code: 'CALENDAR.INVALID_PERIOD_KEY' }));
  });

  it('finds the period whose calendar range holds a date', () => {
    expect(periodKeyOf('quarterly', '2026-05-20')).toBe('2026-Q2');
    expect(periodKeyOf('monthly', '2026-05-20')).toBe('2026-05');
    expect(periodKeyOf('half_yearly', '2026-06-30')).toBe('2026-H1');
    expect(periodKeyOf('half_yearly', '2026-07-01')).toBe('2026-H2');
    expect(periodKeyOf('yearly', '2026-12-31')).toBe('2026');
    expect(periodKeyOf('quarterly', '2026-12-31')).toBe('2026-Q4');
  });

  it.each([
    ['monthly', '2026-12', '2027-01'],
    ['monthly', '2026-09', '2026-10'],
    ['quarterly', '2026-Q4', '2027-Q1'],
    ['half_yearly', '2026-H1', '2026-H2'],
    ['half_yearly', '2026-H2', '2027-H1'],
    ['yearly', '2026', '2027'],
  ] as const)('the %s period after %s is %s', (cadence, key, next) => {
    expect(nextPeriodKey(cadence, key)).toBe(next);
  });

  it('a 2026–2030 programme reported quarterly has 20 periods whose windows follow each other without gaps', () => {
    const periods = periodsOverlapping('quarterly', '2026-01-01', '2030-12-31');
    expect(periods).toHaveLength(20);
    expect(periods[0].key).toBe('2026-Q1');
    expect(periods[19].key).toBe('2030-Q4');
    expect(periods.map((p) => p.key)).toEqual([...periods.map((p) => p.key)].sort());
    for (let i = 1; i < periods.length; i++) {
      expect(periods[i].window.from > periods[i - 1].window.to).toBe(true);
      expect(reportingPeriod('quarterly', periods[i].key).window.from).toBe(periods[i].window.from);
    }
    expect(periods[4].window).toEqual({ from: '2026-12-15', to: '2027-03-14' });
  });

  it('counts a period the range only touches, and refuses a range that ends before it starts', () => {
    expect(periodsOverlapping('monthly', '2026-03-31', '2026-05-01', 20).map((p) => [p.key, p.window.to])).toEqual([
      ['2026-03', '2026-03-20'],
      ['2026-04', '2026-04-20'],
      ['2026-05', '2026-05-20'],
    ]);
    expect(() => periodsOverlapping('monthly', '2026-05-01', '2026-03-31')).toThrow('2026-03-31 is before 2026-05-01');
  });
});

describe('deadlines of a period', () => {
  const calendar = WorkingCalendar.vietnam();
  const schedule = {
    dueOffsetDays: 5,
    reminderOffsetsDays: [7, 3, 1],
    escalationSteps: [
      { afterWorkingDays: 2, to: 'parent' },
      { afterWorkingDays: 5, to: 'grandparent' },
    ],
  };

  it('on ordinary working days: due 5 days after the cut-off, reminders and escalations at 8:00 Vietnam time', () => {
    const { window } = reportingPeriod('quarterly', '2026-Q1');
    const deadlines = deadlinesOf(window, schedule, calendar);
    expect(deadlines.dueDate).toBe('2026-03-19');
    expect(deadlines.due.toISOString()).toBe('2026-03-19T16:59:59.999Z');
    expect(deadlines.reminders).toEqual([
      { step: 1, daysBefore: 7, date: '2026-03-10', at: new Date('2026-03-10T01:00:00.000Z') },
      { step: 2, daysBefore: 3, date: '2026-03-16', at: new Date('2026-03-16T01:00:00.000Z') },
      { step: 3, daysBefore: 1, date: '2026-03-18', at: new Date('2026-03-18T01:00:00.000Z') },
    ]);
    expect(deadlines.escalations).toEqual([
      { step: 1, afterWorkingDays: 2, to: 'parent', date: '2026-03-23', at: new Date('2026-03-23T01:00:00.000Z') },
      { step: 2, afterWorkingDays: 5, to: 'grandparent', date: '2026-03-26', at: new Date('2026-03-26T01:00:00.000Z') },
    ]);
  });

  it('a due date on 30/4 moves past 1/5 and the weekend; reminders skip the weekend and the Hùng Kings day in lieu', () => {
    const { window } = reportingPeriod('monthly', '2026-04');
    const deadlines = deadlinesOf(window, { ...schedule, dueOffsetDays: 16 }, calendar);
    expect(deadlines.dueDate).toBe('2026-05-04');
    expect(deadlines.due.toISOString()).toBe('2026-05-04T16:59:59.999Z');
    // Working days back from Mon 4 May: Wed 29, Tue 28 Apr; Mon 27 (in lieu of Sunday 26), Sun 26 and Sat 25 are off; Fri 24.
    expect(deadlines.reminders.map((r) => [r.step, r.daysBefore, r.date])).toEqual([
      [1, 7, '2026-04-20'],
      [2, 3, '2026-04-24'],
      [3, 1, '2026-04-29'],
    ]);
    expect(deadlines.escalations.map((e) => [e.step, e.date, e.at.toISOString()])).toEqual([
      [1, '2026-05-06', '2026-05-06T01:00:00.000Z'],
      [2, '2026-05-11', '2026-05-11T01:00:00.000Z'],
    ]);
  });

  it('a due date in Tết moves to the first working day after it', () => {
    const { window } = reportingPeriod('monthly', '2026-02');
    const deadlines = deadlinesOf(window, { ...schedule, dueOffsetDays: 2 }, calendar);
    expect(deadlines.dueDate).toBe('2026-02-23');
    expect(deadlines.reminders.map((r) => r.date)).toEqual(['2026-02-05', '2026-02-11', '2026-02-13']);
  });

  it("follows the government's decision when the calendar carries it (Tết 2025: 3 Feb worked)", () => {
    const window = { from: '2024-12-15', to: '2025-01-14' };
    expect(deadlinesOf(window, { ...schedule, dueOffsetDays: 14 }, calendar).dueDate).toBe('2025-02-04');
    const decided = WorkingCalendar.vietnam({ add: ['2025-01-27'], remove: ['2025-02-03'] });
    expect(deadlinesOf(window, { ...schedule, dueOffsetDays: 14 }, decided).dueDate).toBe('2025-02-03');
  });

  it('numbers reminders and escalations in time order whatever order they come in, at the hours asked', () => {
    const { window } = reportingPeriod('quarterly', '2026-Q1');
    const deadlines = deadlinesOf(
      window,
      { dueOffsetDays: 5, reminderOffsetsDays: [1, 7, 3], escalationSteps: [...schedule.escalationSteps].reverse() },
      calendar,
      { reminderHour: 14, escalationHour: 17 },
    );
    expect(deadlines.reminders.map((r) => [r.step, r.daysBefore, r.at.toISOString()])).toEqual([
      [1, 7, '2026-03-10T07:00:00.000Z'],
      [2, 3, '2026-03-16T07:00:00.000Z'],
      [3, 1, '2026-03-18T07:00:00.000Z'],
    ]);
    expect(deadlines.escalations.map((e) => [e.step, e.to, e.at.toISOString()])).toEqual([
      [1, 'parent', '2026-03-23T10:00:00.000Z'],
      [2, 'grandparent', '2026-03-26T10:00:00.000Z'],
    ]);
  });

  it('refuses offsets that are not whole numbers in range', () => {
    const { window } = reportingPeriod('monthly', '2026-03');
    expect(() => deadlinesOf(window, { ...schedule, dueOffsetDays: -1 }, calendar)).toThrow(
      'dueOffsetDays must be a whole number',
    );
    expect(() => deadlinesOf(window, { ...schedule, reminderOffsetsDays: [3, 0] }, calendar)).toThrow(
      'reminderOffsetsDays[1] must be a whole number from 1 to 366',
    );
    expect(() => deadlinesOf(window, schedule, calendar, { reminderHour: 8.5 })).toThrow('reminderHour must be a whole number');
  });
});

describe('cadenceOfPeriodKey', () => {
  it('reads the cadence from a period key; ad hoc keys have none', () => {
    expect(['2026', '2026-H2', '2026-Q3', '2026-07', '2026-R1', 'x'].map(cadenceOfPeriodKey)).toEqual([
      'yearly',
      'half_yearly',
      'quarterly',
      'monthly',
      null,
      null,
    ]);
  });
});
