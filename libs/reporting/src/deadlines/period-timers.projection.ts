import { type Cadence, cadenceOfPeriodKey, instantAt, localDateOf, periodsOverlapping, reportingPeriod } from '@app/calendar';
import type {
  DirectiveAmended,
  DirectiveDrafted,
  DirectiveIssued,
  ReportingPeriodOpened,
  ReportingScheduleSet,
} from '@app/directives';
import type { RecordedEvent } from '@app/eventstore';
import type { AnyDb, Projection, TableNames } from '@app/readstore';
import { selectWhereIn, upsertRows } from '../projections/sql-batches';

export const PERIOD_TIMERS_TABLE = 'rm_period_timers';

/**
 * The next scheduled period of each issued directive and when it opens (the start of its data
 * window). `last_nominal_to` is the end of the calendar range of the last scheduled period opened;
 * `effective_from` is the day the schedule took effect (issue, or the amendment that changed it):
 * an amended schedule applies to periods after both, never to past ones.
 */
export type PeriodTimerRow = {
  directive_id: string;
  status: 'draft' | 'issued';
  cadence: string | null;
  cut_off_day: number;
  period_from: string;
  period_to: string;
  effective_from: string | null;
  last_nominal_to: string | null;
  next_period: string | null;
  /** Epoch milliseconds; null when no period is left to open. */
  open_at: number | null;
  claimed_until: number;
  attempts: number;
};

const SCHEDULED: readonly string[] = ['monthly', 'quarterly', 'half_yearly', 'yearly'];

/** The next period to open on schedule, or none. */
export const nextScheduledPeriod = (
  row: PeriodTimerRow,
): { key: string; window: { from: string; to: string }; openAt: number } | null => {
  if (row.status !== 'issued' || row.cadence === null || !SCHEDULED.includes(row.cadence) || row.effective_from === null)
    return null;
  const cadence = row.cadence as Cadence;
  const from = row.last_nominal_to !== null && row.last_nominal_to > row.period_from ? row.last_nominal_to : row.period_from;
  if (from > row.period_to) return null;
  for (const period of periodsOverlapping(cadence, from, row.period_to, row.cut_off_day)) {
    if (row.last_nominal_to !== null && period.nominal.from <= row.last_nominal_to) continue;
    if (period.window.to < row.effective_from) continue;
    return { key: period.key, window: period.window, openAt: instantAt(period.window.from).getTime() };
  }
  return null;
};

const withNext = (row: PeriodTimerRow): PeriodTimerRow => {
  const next = nextScheduledPeriod(row);
  return { ...row, next_period: next?.key ?? null, open_at: next?.openAt ?? null, claimed_until: 0, attempts: 0 };
};

/**
 * Period-opening timers, derived from the directive events: a directive's row appears with its
 * draft, learns its schedule, arms when the directive is issued, moves to the following period
 * each time one opens, follows an amended schedule from the amendment on, and goes when the
 * directive closes. The scheduler fires `open_at` by opening the period (see DeadlineScheduler).
 */
export const periodTimersProjection: Projection = {
  name: 'period-timers',
  tables: [PERIOD_TIMERS_TABLE],
  filter: {
    categories: ['directive'],
    eventTypes: [
      'DirectiveDrafted',
      'ReportingScheduleSet',
      'DirectiveIssued',
      'DirectiveAmended',
      'DirectiveClosed',
      'ReportingPeriodOpened',
    ],
  },
  async createTables(db: AnyDb, t: TableNames) {
    await db.schema
      .createTable(t[PERIOD_TIMERS_TABLE])
      .ifNotExists()
      .addColumn('directive_id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('cadence', 'text')
      .addColumn('cut_off_day', 'integer', (c) => c.notNull())
      .addColumn('period_from', 'text', (c) => c.notNull())
      .addColumn('period_to', 'text', (c) => c.notNull())
      .addColumn('effective_from', 'text')
      .addColumn('last_nominal_to', 'text')
      .addColumn('next_period', 'text')
      .addColumn('open_at', 'bigint')
      .addColumn('claimed_until', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async createIndexes(db: AnyDb, t: TableNames) {
    const table = t[PERIOD_TIMERS_TABLE];
    await db.schema.createIndex(`${table}_open_${t.generation}`).ifNotExists().on(table).column('open_at').execute();
  },
  async apply(trx: AnyDb, events: readonly RecordedEvent[], t: TableNames) {
    const table = t[PERIOD_TIMERS_TABLE];
    const ids = [...new Set(events.map((e) => (e.data as { directiveId?: string }).directiveId).filter(Boolean))] as string[];
    const rows = new Map<string, PeriodTimerRow | null>();
    for (const row of await selectWhereIn<PeriodTimerRow>(trx, table, {}, 'directive_id', ids)) {
      rows.set(row.directive_id, {
        ...row,
        open_at: row.open_at === null ? null : Number(row.open_at),
        claimed_until: Number(row.claimed_until),
      });
    }
    const changed = new Set<string>();
    for (const event of events) {
      const directiveId = (event.data as { directiveId?: string }).directiveId;
      if (!directiveId) continue;
      const row = rows.get(directiveId);
      let next: PeriodTimerRow | null | undefined;
      switch (event.type) {
        case 'DirectiveDrafted': {
          const { period } = (event as unknown as DirectiveDrafted).data;
          next = row ?? {
            directive_id: directiveId,
            status: 'draft',
            cadence: null,
            cut_off_day: 14,
            period_from: period.from,
            period_to: period.to,
            effective_from: null,
            last_nominal_to: null,
            next_period: null,
            open_at: null,
            claimed_until: 0,
            attempts: 0,
          };
          break;
        }
        case 'ReportingScheduleSet': {
          const { cadence, cutOffDay } = (event as unknown as ReportingScheduleSet).data;
          if (row) next = { ...row, cadence, cut_off_day: cutOffDay };
          break;
        }
        case 'DirectiveIssued': {
          const { issuedAt } = (event as unknown as DirectiveIssued).data;
          if (row) next = withNext({ ...row, status: 'issued', effective_from: localDateOf(new Date(issuedAt)) });
          break;
        }
        case 'DirectiveAmended': {
          const schedule = (event as unknown as DirectiveAmended).data.changes.schedule;
          if (row && schedule) {
            next = withNext({
              ...row,
              cadence: schedule.cadence,
              cut_off_day: schedule.cutOffDay,
              effective_from: localDateOf(new Date(event.metadata.occurredAt)),
            });
          }
          break;
        }
        case 'ReportingPeriodOpened': {
          const { period } = (event as unknown as ReportingPeriodOpened).data;
          const cadence = cadenceOfPeriodKey(period);
          if (row && cadence) {
            const nominalTo = reportingPeriod(cadence, period, row.cut_off_day).nominal.to;
            const last = row.last_nominal_to !== null && row.last_nominal_to > nominalTo ? row.last_nominal_to : nominalTo;
            next = withNext({ ...row, last_nominal_to: last });
          }
          break;
        }
        case 'DirectiveClosed':
          if (row) next = null;
          break;
      }
      if (next !== undefined) {
        rows.set(directiveId, next);
        changed.add(directiveId);
      }
    }
    const upserts: PeriodTimerRow[] = [];
    const deletes: string[] = [];
    for (const id of changed) {
      const row = rows.get(id);
      if (row) upserts.push(row);
      else deletes.push(id);
    }
    if (deletes.length > 0) await trx.deleteFrom(table).where('directive_id', 'in', deletes).execute();
    await upsertRows(trx, table, upserts, { keys: ['directive_id'], action: 'replace' });
  },
};
