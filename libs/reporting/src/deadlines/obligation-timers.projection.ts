import type { RecordedEvent } from '@app/eventstore';
import type { AnyDb, Projection, TableNames } from '@app/readstore';
import type { EscalationRaised, ReminderIssued, ReportingObligationOpened } from '../domain/report.events';
import { obligationKeyOf } from '../projections/obligation-status.projection';
import { chunksOf, upsertRows } from '../projections/sql-batches';

export const TIMERS_TABLE = 'rm_timers';

export const TIMER_KINDS = ['reminder', 'overdue', 'escalation'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/**
 * One pending follow-up of one obligation. `armed` is 0 while a submission awaits review (a
 * return arms the timers again). `claimed_until` and `attempts` belong to the scheduler: a claim
 * keeps other schedulers (and the next pass) off the timer until the event it fired is projected,
 * which deletes the row. A rebuild recreates every row from the events, with no claims.
 */
export type TimerRow = {
  timer_id: string;
  stream_id: string;
  directive_id: string;
  unit_id: string;
  period: string;
  kind: TimerKind;
  step: number;
  /** Reminders: working days before the due date. */
  days_before: number | null;
  /** Escalations: the unit the step raises the report to. */
  to_unit_id: string | null;
  /** Epoch milliseconds. */
  fire_at: number;
  armed: number;
  claimed_until: number;
  attempts: number;
};

export const timerIdOf = (streamId: string, kind: TimerKind, step: number): string => `${streamId}|${kind}|${step}`;

const rowsOpened = (streamId: string, { data }: ReportingObligationOpened): TimerRow[] => {
  const base = {
    stream_id: streamId,
    directive_id: data.directiveId,
    unit_id: data.unitId,
    period: data.period,
    armed: 1,
    claimed_until: 0,
    attempts: 0,
  };
  const rows: TimerRow[] = [
    {
      ...base,
      timer_id: timerIdOf(streamId, 'overdue', 0),
      kind: 'overdue',
      step: 0,
      days_before: null,
      to_unit_id: null,
      fire_at: Date.parse(data.due),
    },
  ];
  for (const r of data.followUps?.reminders ?? []) {
    rows.push({
      ...base,
      timer_id: timerIdOf(streamId, 'reminder', r.step),
      kind: 'reminder',
      step: r.step,
      days_before: r.daysBefore,
      to_unit_id: null,
      fire_at: Date.parse(r.at),
    });
  }
  for (const e of data.followUps?.escalations ?? []) {
    rows.push({
      ...base,
      timer_id: timerIdOf(streamId, 'escalation', e.step),
      kind: 'escalation',
      step: e.step,
      days_before: null,
      to_unit_id: e.toUnitId,
      fire_at: Date.parse(e.at),
    });
  }
  return rows;
};

/** What a batch does to timers written by earlier batches. */
type Removal = 'all' | 'overdue-and-reminders';

/**
 * The deadline timers of every obligation, derived from the report events alone: opened with the
 * obligation (its due instant, reminders and escalation steps), removed when the event the timer
 * fires is recorded, disarmed by a submission, armed again by a return, removed for good by an
 * approval or a waiver. Restarting the worker or rebuilding from zero yields exactly the pending timers.
 */
export const obligationTimersProjection: Projection = {
  name: 'obligation-timers',
  tables: [TIMERS_TABLE],
  filter: {
    categories: ['report'],
    eventTypes: [
      'ReportingObligationOpened',
      'ReportSubmitted',
      'ReportReturned',
      'ReportApproved',
      'ObligationWaived',
      'ReminderIssued',
      'ReportOverdue',
      'EscalationRaised',
    ],
  },
  async createTables(db: AnyDb, t: TableNames) {
    const table = t[TIMERS_TABLE];
    await db.schema
      .createTable(table)
      .ifNotExists()
      .addColumn('timer_id', 'text', (c) => c.primaryKey())
      .addColumn('stream_id', 'text', (c) => c.notNull())
      .addColumn('directive_id', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('days_before', 'integer')
      .addColumn('to_unit_id', 'text')
      .addColumn('fire_at', 'bigint', (c) => c.notNull())
      .addColumn('armed', 'integer', (c) => c.notNull())
      .addColumn('claimed_until', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // Removals by stream run on every follow-up event, rebuilds included: this index is not optional.
    await db.schema.createIndex(`${table}_stream_${t.generation}`).ifNotExists().on(table).column('stream_id').execute();
  },
  async createIndexes(db: AnyDb, t: TableNames) {
    const table = t[TIMERS_TABLE];
    await db.schema.createIndex(`${table}_due_${t.generation}`).ifNotExists().on(table).columns(['armed', 'fire_at']).execute();
  },
  async apply(trx: AnyDb, events: readonly RecordedEvent[], t: TableNames) {
    const table = t[TIMERS_TABLE];
    // Rows opened in this batch change in memory; rows of earlier batches change in the database.
    const created = new Map<string, TimerRow>();
    const createdByStream = new Map<string, string[]>();
    const removeIds = new Set<string>();
    const removeByStream = new Map<string, Removal>();
    const armByStream = new Map<string, number>();

    const dropCreated = (streamId: string, keep: (row: TimerRow) => boolean) => {
      for (const id of createdByStream.get(streamId) ?? []) {
        const row = created.get(id);
        if (row && !keep(row)) created.delete(id);
      }
    };
    const removeOne = (streamId: string, kind: TimerKind, step: number) => {
      const id = timerIdOf(streamId, kind, step);
      created.delete(id);
      removeIds.add(id);
    };
    const arm = (streamId: string, armed: number) => {
      for (const id of createdByStream.get(streamId) ?? []) {
        const row = created.get(id);
        if (row) row.armed = armed;
      }
      armByStream.set(streamId, armed);
    };

    for (const event of events) {
      const streamId = event.streamId;
      if (!obligationKeyOf(streamId)) continue;
      switch (event.type) {
        case 'ReportingObligationOpened': {
          const rows = rowsOpened(streamId, event as unknown as ReportingObligationOpened);
          for (const row of rows) created.set(row.timer_id, row);
          createdByStream.set(
            streamId,
            rows.map((r) => r.timer_id),
          );
          break;
        }
        case 'ReportSubmitted':
          arm(streamId, 0);
          break;
        case 'ReportReturned':
          arm(streamId, 1);
          break;
        case 'ReportApproved':
        case 'ObligationWaived':
          dropCreated(streamId, () => false);
          removeByStream.set(streamId, 'all');
          break;
        case 'ReminderIssued':
          removeOne(streamId, 'reminder', (event as unknown as ReminderIssued).data.step);
          break;
        case 'ReportOverdue':
          // Reminders left once the deadline has passed would only repeat what the overdue mark says.
          dropCreated(streamId, (row) => row.kind === 'escalation');
          if (removeByStream.get(streamId) !== 'all') removeByStream.set(streamId, 'overdue-and-reminders');
          break;
        case 'EscalationRaised':
          removeOne(streamId, 'escalation', (event as unknown as EscalationRaised).data.step);
          break;
      }
    }

    for (const chunk of chunksOf([...removeIds], 1000)) {
      await trx.deleteFrom(table).where('timer_id', 'in', chunk).execute();
    }
    const removals = [...removeByStream];
    for (const chunk of chunksOf(
      removals.filter(([, r]) => r === 'all').map(([s]) => s),
      1000,
    )) {
      await trx.deleteFrom(table).where('stream_id', 'in', chunk).execute();
    }
    for (const chunk of chunksOf(
      removals.filter(([, r]) => r === 'overdue-and-reminders').map(([s]) => s),
      1000,
    )) {
      await trx.deleteFrom(table).where('stream_id', 'in', chunk).where('kind', 'in', ['overdue', 'reminder']).execute();
    }
    for (const armed of [0, 1]) {
      const streams = [...armByStream].filter(([, a]) => a === armed).map(([s]) => s);
      for (const chunk of chunksOf(streams, 1000)) {
        await trx.updateTable(table).set({ armed }).where('stream_id', 'in', chunk).execute();
      }
    }
    await upsertRows(trx, table, [...created.values()], { keys: ['timer_id'], action: 'replace' });
  },
};
