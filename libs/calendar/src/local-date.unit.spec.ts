import { addDays, compareDates, dayOfWeek, endOfLocalDay, instantAt, isLocalDate, localDateOf } from './local-date';

describe('local dates in Vietnam (UTC+7)', () => {
  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31'])('accepts %s', (date) => {
    expect(isLocalDate(date)).toBe(true);
  });

  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-1-01',
    '2026-01-01T00:00',
    ' 2026-01-01',
    20260101,
    null,
  ])('refuses %p', (value) => {
    expect(isLocalDate(value)).toBe(false);
  });

  it('takes the date in Vietnam, which turns at 17:00 UTC', () => {
    expect(localDateOf(new Date('2026-02-16T16:59:59.999Z'))).toBe('2026-02-16');
    expect(localDateOf(new Date('2026-02-16T17:00:00.000Z'))).toBe('2026-02-17');
    expect(() => localDateOf(new Date('not a date'))).toThrow('instant must be a valid Date');
  });

  it('gives the instant of a local time, and the last instant of a local day', () => {
    expect(instantAt('2026-03-14').toISOString()).toBe('2026-03-13T17:00:00.000Z');
    expect(instantAt('2026-03-14', 8, 30).toISOString()).toBe('2026-03-14T01:30:00.000Z');
    expect(endOfLocalDay('2026-12-31').toISOString()).toBe('2026-12-31T16:59:59.999Z');
    expect(() => instantAt('2026-03-14', 24)).toThrow('hour must be a whole number from 0 to 23');
  });

  it('adds days across months, leap days and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-01-31', 365)).toBe('2027-01-31');
  });

  it('names the day of the week, 0 for Sunday', () => {
    expect(dayOfWeek('2026-04-26')).toBe(0);
    expect(dayOfWeek('2026-02-17')).toBe(2);
    expect(dayOfWeek('2025-02-01')).toBe(6);
  });

  it('compares dates for sorting', () => {
    expect(['2026-12-01', '2025-12-31', '2026-01-15'].sort(compareDates)).toEqual(['2025-12-31', '2026-01-15', '2026-12-01']);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
    expect(() => compareDates('2026-01-01', '2026-02-30')).toThrow('must be a date YYYY-MM-DD');
  });
});
