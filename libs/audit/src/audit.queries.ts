import type { AnyDb } from '@app/readstore';
import { AUDIT_TABLE, type AuditRow } from './audit-index.projection';

/** The columns of the audit trail, in the order the API and its CSV export show them. */
export const AUDIT_COLUMNS = [
  'position',
  'occurred_at',
  'type',
  'actor_user',
  'actor_unit',
  'directive_id',
  'unit_id',
  'period',
  'stream_id',
  'event_id',
  'summary',
] as const;

export type AuditFilter = Readonly<{
  directiveId?: string;
  unitId?: string;
  period?: string;
  actorUser?: string;
  actorUnit?: string;
  type?: string;
  /** ISO instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  afterPosition?: number;
  limit: number;
}>;

/** The audit trail in log order, each given field an equality (or range) filter: GET /audit. */
export const auditTrail = async (db: AnyDb, f: AuditFilter): Promise<AuditRow[]> => {
  let select = db.selectFrom(AUDIT_TABLE).select([...AUDIT_COLUMNS]);
  if (f.directiveId) select = select.where('directive_id', '=', f.directiveId);
  if (f.unitId) select = select.where('unit_id', '=', f.unitId);
  if (f.period) select = select.where('period', '=', f.period);
  if (f.actorUser) select = select.where('actor_user', '=', f.actorUser);
  if (f.actorUnit) select = select.where('actor_unit', '=', f.actorUnit);
  if (f.type) select = select.where('type', '=', f.type);
  if (f.from) select = select.where('occurred_at', '>=', f.from);
  if (f.to) select = select.where('occurred_at', '<', f.to);
  if (f.afterPosition !== undefined) select = select.where('position', '>', f.afterPosition);
  return (await select.orderBy('position').limit(f.limit).execute()) as AuditRow[];
};
