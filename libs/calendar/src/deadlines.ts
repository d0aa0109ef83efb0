import { addDays, assertLocalDate, assertWholeNumber, endOfLocalDay, instantAt, type LocalDate } from './local-date';
import type { DateRange } from './periods';
import type { WorkingCalendar } from './working-calendar';

export type DeadlineSchedule = Readonly<{
  /** Calendar days after the window's last day. */
  dueOffsetDays: number;
  /** Working days before the due date, one reminder each. */
  reminderOffsetsDays: readonly number[];
  escalationSteps: readonly Readonly<{ afterWorkingDays: number; to: string }>[];
}>;

export type DeadlineOptions = Readonly<{ reminderHour?: number; escalationHour?: number }>;

export type Reminder = Readonly<{ step: number; daysBefore: number; date: LocalDate; at: Date }>;

export type Escalation = Readonly<{ step: number; afterWorkingDays: number; to: string; date: LocalDate; at: Date }>;

export type Deadlines = Readonly<{ dueDate: LocalDate; due: Date; reminders: Reminder[]; escalations: Escalation[] }>;

/**
 * When a period's report is due, and when to remind and escalate, all in Vietnam time:
 * - due: the end of `window.to + dueOffsetDays`, moved forward to a working day;
 * - each reminder: `daysBefore` working days before the due date, at `reminderHour` (default 8:00);
 * - each escalation: `afterWorkingDays` working days after the due date, at `escalationHour` (default 8:00).
 * Reminders and escalations are numbered from 1 in time order.
 */
export const deadlinesOf = (
  window: DateRange,
  schedule: DeadlineSchedule,
  calendar: WorkingCalendar,
  options: DeadlineOptions = {},
): Deadlines => {
  assertLocalDate(window.to, 'window.to');
  assertWholeNumber(schedule.dueOffsetDays, 'dueOffsetDays', 0, 366);
  const reminderHour = assertWholeNumber(options.reminderHour ?? 8, 'reminderHour', 0, 23);
  const escalationHour = assertWholeNumber(options.escalationHour ?? 8, 'escalationHour', 0, 23);
  const dueDate = calendar.onOrAfterWorkingDay(addDays(window.to, schedule.dueOffsetDays));
  const reminders = schedule.reminderOffsetsDays
    .map((daysBefore, i) => assertWholeNumber(daysBefore, `reminderOffsetsDays[${i}]`, 1, 366))
    .sort((a, b) => b - a)
    .map((daysBefore, i): Reminder => {
      const date = calendar.addWorkingDays(dueDate, -daysBefore);
      return { step: i + 1, daysBefore, date, at: instantAt(date, reminderHour) };
    });
  const escalations = schedule.escalationSteps
    .map(({ afterWorkingDays, to }, i) => ({
      afterWorkingDays: assertWholeNumber(afterWorkingDays, `escalationSteps[${i}].afterWorkingDays`, 0, 366),
      to,
    }))
    .sort((a, b) => a.afterWorkingDays - b.afterWorkingDays)
    .map(({ afterWorkingDays, to }, i): Escalation => {
      const date = calendar.addWorkingDays(dueDate, afterWorkingDays);
      return { step: i + 1, afterWorkingDays, to, date, at: instantAt(date, escalationHour) };
    });
  return { dueDate, due: endOfLocalDay(dueDate), reminders, escalations };
};
