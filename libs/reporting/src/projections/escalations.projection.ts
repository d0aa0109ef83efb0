import type { RecordedEvent } from '@app/eventstore';
import type { AnyDb, Projection, TableNames } from '@app/readstore';
import type { EscalationRaised, EscalationResolved } from '../domain/report.events';
import { obligationKeyOf } from './obligation-status.projection';
import { upsertRows } from './sql-batches';

export const ESCALATIONS_TABLE = 'rm_escalations';

export type EscalationRow = {
  directive_id: string;
  unit_id: string;
  period: string;
  step: number;
  to_unit_id: string;
  raised_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
};

const KEYS = ['directive_id', 'unit_id', 'period', 'step'] as const;
const idOf = (r: Pick<EscalationRow, 'directive_id' | 'unit_id' | 'period' | 'step'>): string =>
  `${r.directive_id}\u0000${r.unit_id}\u0000${r.period}\u0000${r.step}`;

/**
 * Escalations, by the unit they are raised to: one row per (obligation, step), open until resolved
 * (by a submission or a waiver). A whole batch of timers firing at once is written in chunked upserts.
 */
export const escalationsProjection: Projection = {
  name: 'escalations',
  tables: [ESCALATIONS_TABLE],
  filter: { categories: ['report'], eventTypes: ['EscalationRaised', 'EscalationResolved'] },
  async createTables(db: AnyDb, t: TableNames) {
    const table = t[ESCALATIONS_TABLE];
    await db.schema
      .createTable(table)
      .ifNotExists()
      .addColumn('directive_id', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('to_unit_id', 'text', (c) => c.notNull())
      .addColumn('raised_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by', 'text')
      .addPrimaryKeyConstraint(`${table}_pk_${t.generation}`, [...KEYS])
      .execute();
  },
  async createIndexes(db: AnyDb, t: TableNames) {
    const table = t[ESCALATIONS_TABLE];
    await db.schema
      .createIndex(`${table}_to_${t.generation}`)
      .ifNotExists()
      .on(table)
      .columns(['to_unit_id', 'resolved_at'])
      .execute();
  },
  async apply(trx: AnyDb, events: readonly RecordedEvent[], t: TableNames) {
    const raised = new Map<string, EscalationRow>();
    const resolvedLater: EscalationRow[] = [];
    for (const event of events) {
      const key = obligationKeyOf(event.streamId);
      if (!key) continue;
      const at = event.metadata.occurredAt;
      const base = { directive_id: key.directiveId, unit_id: key.unitId, period: key.period };
      if (event.type === 'EscalationRaised') {
        const { toUnitId, step } = (event as unknown as EscalationRaised).data;
        const row = { ...base, step, to_unit_id: toUnitId, raised_at: at, resolved_at: null, resolved_by: null };
        raised.set(idOf(row), row);
      } else if (event.type === 'EscalationResolved') {
        const { toUnitId, step, by } = (event as unknown as EscalationResolved).data;
        const row = raised.get(idOf({ ...base, step }));
        if (row) Object.assign(row, { resolved_at: at, resolved_by: by });
        else resolvedLater.push({ ...base, step, to_unit_id: toUnitId, raised_at: at, resolved_at: at, resolved_by: by });
      }
    }
    const table = t[ESCALATIONS_TABLE];
    await upsertRows(trx, table, [...raised.values()], { keys: KEYS, action: 'replace' });
    // Resolutions of escalations raised in earlier batches: one indexed update each (a submission resolves its own).
    for (const row of resolvedLater) {
      await trx
        .updateTable(table)
        .set({ resolved_at: row.resolved_at, resolved_by: row.resolved_by })
        .where('directive_id', '=', row.directive_id)
        .where('unit_id', '=', row.unit_id)
        .where('period', '=', row.period)
        .where('step', '=', row.step)
        .execute();
    }
  },
};
