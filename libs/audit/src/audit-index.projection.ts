import type { RecordedEvent } from '@app/eventstore';
import type { AnyDb, Projection, TableNames } from '@app/readstore';
import { summarise } from './audit-summary';
import { streamParts } from './stream-parts';

export const AUDIT_TABLE = 'rm_audit';

export type AuditRow = {
  position: number;
  event_id: string;
  stream_id: string;
  type: string;
  actor_user: string;
  actor_unit: string | null;
  directive_id: string | null;
  unit_id: string | null;
  period: string | null;
  occurred_at: string;
  recorded_at: number;
  summary: string;
};

export const auditRow = (event: RecordedEvent): AuditRow => {
  const parts = streamParts(event.streamId);
  return {
    position: event.position,
    event_id: event.id,
    stream_id: event.streamId,
    type: event.type,
    actor_user: event.metadata.actor.userId,
    actor_unit: event.metadata.actor.unitId ?? null,
    directive_id: parts.directiveId,
    unit_id: parts.unitId,
    period: parts.period,
    occurred_at: event.metadata.occurredAt,
    recorded_at: event.recordedAt,
    summary: summarise(event),
  };
};

/** The audit index: one row per event, filterable by every column that answers "who did what, when". */
export const auditIndexProjection: Projection = {
  name: 'audit-index',
  tables: [AUDIT_TABLE],
  async createTables(db: AnyDb, t: TableNames) {
    const table = t[AUDIT_TABLE];
    await db.schema
      .createTable(table)
      .ifNotExists()
      .addColumn('position', 'bigint', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('stream_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('actor_user', 'text', (c) => c.notNull())
      .addColumn('actor_unit', 'text')
      .addColumn('directive_id', 'text')
      .addColumn('unit_id', 'text')
      .addColumn('period', 'text')
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'bigint', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .execute();
  },
  async createIndexes(db: AnyDb, t: TableNames) {
    const table = t[AUDIT_TABLE];
    for (const column of ['stream_id', 'directive_id', 'unit_id', 'actor_user', 'occurred_at']) {
      await db.schema
        .createIndex(`${table}_${column}_${t.generation}`)
        .ifNotExists()
        .on(table)
        .columns([column, 'position'])
        .execute();
    }
  },
  async apply(trx: AnyDb, events: readonly RecordedEvent[], t: TableNames) {
    // Chunks keep each INSERT under the bound-parameter limits of both dialects.
    for (let i = 0; i < events.length; i += 500) {
      await trx
        .insertInto(t[AUDIT_TABLE])
        .values(events.slice(i, i + 500).map(auditRow))
        .execute();
    }
  },
};
