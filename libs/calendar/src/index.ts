export { CalendarInputInvalid, DateOutsideCalendar, HolidayOverridesInvalid, PeriodKeyInvalid } from './calendar.errors';
export {
  addDays,
  compareDates,
  dayOfWeek,
  endOfLocalDay,
  instantAt,
  isLocalDate,
  type LocalDate,
  localDateOf,
  VIETNAM_UTC_OFFSET_HOURS,
} from './local-date';
export { leapMonthOf, type LunarDate, lunarToSolar, solarToLunar } from './lunar';
export * from './holidays';
export * from './holiday-overrides';
export * from './working-calendar';
export * from './periods';
export * from './deadlines';
