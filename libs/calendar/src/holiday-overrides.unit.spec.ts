import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHolidayOverrides } from './holiday-overrides';
import { WorkingCalendar } from './working-calendar';

describe('holiday override files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'holidays-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('loads the shipped example, and a calendar follows it', () => {
    const overrides = loadHolidayOverrides(join(__dirname, '..', 'holidays.example.json'));
    expect(overrides.remove).toEqual(['2025-02-03']);
    expect(overrides.add).toEqual(expect.arrayContaining(['2025-01-27', '2025-05-02', '2026-02-14', '2026-02-22']));
    const calendar = WorkingCalendar.vietnam(overrides);
    expect(calendar.isWorkingDay('2025-05-02')).toBe(false);
    expect(calendar.isWorkingDay('2025-02-03')).toBe(true);
    expect(calendar.holidaysIn(2026)).toEqual(expect.arrayContaining(['2026-02-14', '2026-02-22']));
  });

  it('takes either list alone', () => {
    expect(loadHolidayOverrides(file('add-only.json', '{ "add": ["2026-03-02"] }'))).toEqual({ add: ['2026-03-02'], remove: [] });
  });

  it('names the file and every bad entry', () => {
    const path = file(
      'bad.json',
      JSON.stringify({ add: ['2026-02-30', '2026-3-2', 20260302, '2026-05-04'], remove: ['2026-05-04'], remvoe: [] }),
    );
    let error: Error | undefined;
    try {
      loadHolidayOverrides(path);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(path);
    expect(error?.message).toContain('add[0]: "2026-02-30" is not a date YYYY-MM-DD');
    expect(error?.message).toContain('add[1]: "2026-3-2" is not a date YYYY-MM-DD');
    expect(error?.message).toContain('add[2]: 20260302 is not a date YYYY-MM-DD');
    expect(error?.message).toContain('add: 2026-05-04 is also in remove');
    expect(error?.message).toContain('remvoe: is not a known key');
  });

  it.each([
    ['not JSON', '{ "add": [', 'is not JSON'],
    ['a list at the top', '["2026-01-01"]', 'must be an object'],
    ['a list that is not a list', '{ "remove": "2026-01-01" }', 'remove: must be a list of dates'],
  ])('refuses %s', (_case, text, message) => {
    const path = file('refused.json', text);
    expect(() => loadHolidayOverrides(path)).toThrow(message);
    expect(() => loadHolidayOverrides(path)).toThrow(path);
  });

  it('refuses a file that cannot be read, naming it', () => {
    const path = join(dir, 'missing.json');
    expect(() => loadHolidayOverrides(path)).toThrow(`Holiday overrides ${path} are invalid: (file): cannot be read`);
  });
});
