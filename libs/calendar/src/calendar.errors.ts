import { type FieldError, ValidationError } from '@app/kernel';

/** A value that is not a calendar date, hour, count or option the calendar accepts. */
export class CalendarInputInvalid extends ValidationError {
  constructor(field: string, message: string) {
    super('CALENDAR.INVALID_INPUT', `${field} ${message}`, [{ field, message }]);
  }
}

/** A period key that does not name a period of the cadence (e.g. `2026-Q5`, or `2026-03` for quarterly). */
export class PeriodKeyInvalid extends ValidationError {
  constructor(cadence: string, key: unknown) {
    super('CALENDAR.INVALID_PERIOD_KEY', `${JSON.stringify(key)} is not a ${cadence} period key`, [
      { field: 'key', message: `is not a ${cadence} period key` },
    ]);
  }
}

/** A date the working calendar has no holiday list for: answering would silently ignore that year's holidays. */
export class DateOutsideCalendar extends ValidationError {
  constructor(date: string, from: number, to: number) {
    super(
      'CALENDAR.DATE_OUT_OF_RANGE',
      `${date} is outside the years the working calendar knows (${from}–${to}); widen its years`,
      [{ field: 'date', message: `is outside ${from}–${to}` }],
    );
  }
}

/** A holiday override file that cannot be used; the message names the file and every bad entry. */
export class HolidayOverridesInvalid extends ValidationError {
  constructor(source: string, problems: readonly FieldError[]) {
    const listed = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    super('CALENDAR.INVALID_HOLIDAY_OVERRIDES', `Holiday overrides ${source} are invalid: ${listed}`, problems);
  }
}
