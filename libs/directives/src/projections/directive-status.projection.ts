import { type ColumnDefinitionBuilder, sql } from 'kysely';
import type { RecordedEvent } from '@app/eventstore';
import { type TargetDefinition, assertNever } from '@app/kernel';
import type { AnyDb, Projection, TableNames } from '@app/readstore';
import type { AssignmentEvent } from '../domain/assignment.events';
import type {
  AssigneeScope,
  DatePeriod,
  DirectiveEvent,
  DirectiveKind,
  ReportingSchedule,
  Task,
} from '../domain/directive.events';

export const DIRECTIVES_TABLE = 'rm_directives';
export const ASSIGNMENTS_TABLE = 'rm_assignments';

const DIRECTIVE = 'directive';
const ASSIGNMENT = 'assignment';

export type DirectiveStatus = 'draft' | 'issued' | 'closed';
export type AssignmentStatus = 'assigned' | 'acknowledged' | 'completed' | 'cancelled';
export const ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['assigned', 'acknowledged', 'completed', 'cancelled'];

/** What the document says besides its columns; kept as JSON in `rm_directives.header`. */
export type DirectiveHeaderExtras = {
  issuingBody: string;
  place?: string;
  purpose?: string;
  scope?: AssigneeScope;
  closeReason?: string;
  amendments: { at: string; reason: string }[];
  /** Reporting periods opened, in the order they opened (absent on rows written before periods were recorded). */
  periods?: { period: string; window: { from: string; to: string }; due: string; openedAt: string; openedBy: string }[];
};

export type DirectiveTarget = TargetDefinition & { inheritedFrom?: string };

/** A directive as the projection evolves it; `rm_directives` holds it with the lists as JSON. */
export type DirectiveDoc = {
  directiveId: string;
  number: string;
  kind: DirectiveKind;
  title: string;
  issuerUnitId: string;
  basisDirectiveId: string | null;
  status: DirectiveStatus;
  documentDate: string;
  period: DatePeriod;
  draftedAt: string;
  issuedAt: string | null;
  signedBy: string | null;
  closedAt: string | null;
  header: DirectiveHeaderExtras;
  targets: DirectiveTarget[];
  tasks: Task[];
  schedule: ReportingSchedule | null;
};

/** Counters kept on `rm_directives`, over the directive's assignments. Only cancelled ones count towards `cancelled`. */
export type AssignmentCounts = {
  assignee_count: number;
  acknowledged_count: number;
  implementing_count: number;
  completed_count: number;
  cancelled_count: number;
};
const COUNTERS = ['assignee_count', 'acknowledged_count', 'implementing_count', 'completed_count', 'cancelled_count'] as const;

export type AssignmentRow = {
  directive_id: string;
  unit_id: string;
  issuer_unit_id: string;
  status: AssignmentStatus;
  assigned_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  /** The first implementing directive (the unit's own plan) recorded. */
  implementing_directive_id: string | null;
  implementing_at: string | null;
  completed_at: string | null;
  completed_by: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
};

const replaceById = <T, K extends keyof T>(list: readonly T[], replacements: readonly T[], key: K): T[] =>
  list.map((item) => replacements.find((r) => r[key] === item[key]) ?? item);

/** The directive after one event of its stream. */
export const evolveDirectiveDoc = (doc: DirectiveDoc | undefined, recorded: RecordedEvent): DirectiveDoc | undefined => {
  const event = { type: recorded.type, data: recorded.data } as DirectiveEvent;
  if (event.type === 'DirectiveDrafted') {
    const { directiveId, number, kind, title, issuerUnitId, basisDirectiveId, documentDate, period } = event.data;
    const { issuingBody, place, purpose } = event.data;
    return {
      ...{ directiveId, number, kind, title, issuerUnitId, basisDirectiveId, documentDate, period },
      status: 'draft',
      draftedAt: recorded.metadata.occurredAt,
      issuedAt: null,
      signedBy: null,
      closedAt: null,
      header: { issuingBody, ...(place !== undefined && { place }), ...(purpose !== undefined && { purpose }), amendments: [] },
      targets: [],
      tasks: [],
      schedule: null,
    };
  }
  if (!doc) return doc;
  switch (event.type) {
    case 'TargetAdded': {
      const { target, inheritedFrom } = event.data;
      return { ...doc, targets: [...doc.targets, { ...target, ...(inheritedFrom && { inheritedFrom }) }] };
    }
    case 'TaskAdded': {
      const { directiveId: _, ...task } = event.data;
      return { ...doc, tasks: [...doc.tasks, task] };
    }
    case 'ReportingScheduleSet': {
      const { directiveId: _, ...schedule } = event.data;
      return { ...doc, schedule };
    }
    case 'DirectiveIssued': {
      // The assignee list (up to 100,000 ids) stays out of the row: each assignment has its own.
      const { issuedAt, signedBy, scope } = event.data;
      return { ...doc, status: 'issued', issuedAt, signedBy, header: { ...doc.header, ...(scope && { scope }) } };
    }
    case 'DirectiveAmended': {
      const { changes, reason } = event.data;
      return {
        ...doc,
        targets: [...replaceById(doc.targets, changes.targetsReplaced ?? [], 'targetId'), ...(changes.targetsAdded ?? [])],
        tasks: [...replaceById(doc.tasks, changes.tasksReplaced ?? [], 'taskId'), ...(changes.tasksAdded ?? [])],
        schedule: changes.schedule ?? doc.schedule,
        header: { ...doc.header, amendments: [...doc.header.amendments, { at: recorded.metadata.occurredAt, reason }] },
      };
    }
    case 'DirectiveClosed': {
      const reason = event.data.reason;
      return {
        ...doc,
        status: 'closed',
        closedAt: recorded.metadata.occurredAt,
        header: { ...doc.header, ...(reason && { closeReason: reason }) },
      };
    }
    case 'ReportingPeriodOpened': {
      const { period, window, due, openedBy } = event.data;
      const opened = { period, window, due, openedAt: recorded.metadata.occurredAt, openedBy };
      return { ...doc, header: { ...doc.header, periods: [...(doc.header.periods ?? []), opened] } };
    }
    default:
      return assertNever(event);
  }
};

/** The assignment after one event of its stream. Statuses only move forward; the dates record each step once. */
export const evolveAssignmentRow = (
  row: AssignmentRow | undefined,
  recorded: RecordedEvent,
  key: { directiveId: string; unitId: string },
): AssignmentRow | undefined => {
  const event = { type: recorded.type, data: recorded.data } as AssignmentEvent;
  if (event.type === 'DirectiveAssigned') {
    return (
      row ?? {
        directive_id: key.directiveId,
        unit_id: key.unitId,
        issuer_unit_id: event.data.issuerUnitId,
        status: 'assigned',
        assigned_at: event.data.assignedAt,
        ...{ acknowledged_at: null, acknowledged_by: null, implementing_directive_id: null, implementing_at: null },
        ...{ completed_at: null, completed_by: null, cancelled_at: null, cancel_reason: null },
      }
    );
  }
  if (!row) return row;
  switch (event.type) {
    case 'AssignmentAcknowledged':
      if (row.acknowledged_at !== null) return row;
      return {
        ...row,
        status: row.status === 'assigned' ? 'acknowledged' : row.status,
        acknowledged_at: event.data.at,
        acknowledged_by: event.data.by,
      };
    case 'ImplementingDirectiveIssued':
      if (row.implementing_directive_id !== null) return row;
      return { ...row, implementing_directive_id: event.data.childDirectiveId, implementing_at: event.data.at };
    case 'AssignmentCompleted':
      return { ...row, status: 'completed', completed_at: event.data.at, completed_by: event.data.by };
    case 'AssignmentCancelled':
      return { ...row, status: 'cancelled', cancelled_at: event.data.at, cancel_reason: event.data.reason };
    default:
      return assertNever(event);
  }
};

/** What one assignment adds to its directive's counters. */
export const countsOf = (row: AssignmentRow | undefined): AssignmentCounts => {
  const live = row !== undefined && row.status !== 'cancelled';
  return {
    assignee_count: row ? 1 : 0,
    acknowledged_count: live && row.acknowledged_at !== null ? 1 : 0,
    implementing_count: live && row.implementing_directive_id !== null ? 1 : 0,
    completed_count: live && row.status === 'completed' ? 1 : 0,
    cancelled_count: row?.status === 'cancelled' ? 1 : 0,
  };
};

const CHUNK = 500;
const chunks = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

type DirectiveDbRow = Record<string, unknown>;

const toDbRow = (d: DirectiveDoc): DirectiveDbRow => ({
  directive_id: d.directiveId,
  number: d.number,
  kind: d.kind,
  title: d.title,
  issuer_unit_id: d.issuerUnitId,
  basis_directive_id: d.basisDirectiveId,
  status: d.status,
  document_date: d.documentDate,
  period_from: d.period.from,
  period_to: d.period.to,
  drafted_at: d.draftedAt,
  issued_at: d.issuedAt,
  signed_by: d.signedBy,
  closed_at: d.closedAt,
  cadence: d.schedule?.cadence ?? null,
  approval_required: d.schedule ? Number(d.schedule.approvalRequired) : null,
  header: JSON.stringify(d.header),
  targets: JSON.stringify(d.targets),
  tasks: JSON.stringify(d.tasks),
  schedule: d.schedule ? JSON.stringify(d.schedule) : null,
});

export const fromDbRow = (r: DirectiveDbRow): DirectiveDoc => ({
  directiveId: String(r.directive_id),
  number: String(r.number),
  kind: r.kind as DirectiveKind,
  title: String(r.title),
  issuerUnitId: String(r.issuer_unit_id),
  basisDirectiveId: (r.basis_directive_id as string | null) ?? null,
  status: r.status as DirectiveStatus,
  documentDate: String(r.document_date),
  period: { from: String(r.period_from), to: String(r.period_to) },
  draftedAt: String(r.drafted_at),
  issuedAt: (r.issued_at as string | null) ?? null,
  signedBy: (r.signed_by as string | null) ?? null,
  closedAt: (r.closed_at as string | null) ?? null,
  header: JSON.parse(String(r.header)),
  targets: JSON.parse(String(r.targets)),
  tasks: JSON.parse(String(r.tasks)),
  schedule: r.schedule === null ? null : JSON.parse(String(r.schedule)),
});

/** `directive-<d>` → d; `assignment-<d>_<u>` → d, u (see directive.streams.ts). */
const partsOf = (streamId: string): { category: string; directiveId: string; unitId: string } => {
  const dash = streamId.indexOf('-');
  const [directiveId, unitId = ''] = streamId.slice(dash + 1).split('_');
  return { category: streamId.slice(0, dash), directiveId, unitId };
};

const keyOf = (directiveId: string, unitId: string): string => `${directiveId}_${unitId}`;

class DirectiveStatusWriter {
  constructor(
    private readonly db: AnyDb,
    private readonly t: TableNames,
  ) {}

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    const parts = events.map((e) => partsOf(e.streamId));
    const docs = await this.loadDirectives([...new Set(parts.flatMap((p) => (p.category === DIRECTIVE ? [p.directiveId] : [])))]);
    // An assignment whose first event here is DirectiveAssigned starts here: nothing to load for it.
    const first = new Map<string, string>();
    events.forEach((e, i) => {
      const p = parts[i];
      if (p.category === ASSIGNMENT && !first.has(keyOf(p.directiveId, p.unitId)))
        first.set(keyOf(p.directiveId, p.unitId), e.type);
    });
    const rows = await this.loadAssignments([...first].filter(([, type]) => type !== 'DirectiveAssigned').map(([key]) => key));

    const changedDocs = new Set<string>();
    const changedRows = new Set<string>();
    const deltas = new Map<string, AssignmentCounts>();
    events.forEach((event, i) => {
      const { category, directiveId, unitId } = parts[i];
      if (category === DIRECTIVE) {
        const next = evolveDirectiveDoc(docs.get(directiveId), event);
        if (next) docs.set(directiveId, next);
        changedDocs.add(directiveId);
        return;
      }
      const key = keyOf(directiveId, unitId);
      const before = rows.get(key);
      const after = evolveAssignmentRow(before, event, { directiveId, unitId });
      if (!after || after === before) return;
      rows.set(key, after);
      changedRows.add(key);
      const [was, is] = [countsOf(before), countsOf(after)];
      const delta = deltas.get(directiveId) ?? countsOf(undefined);
      for (const c of COUNTERS) delta[c] += is[c] - was[c];
      deltas.set(directiveId, delta);
    });

    await this.saveDirectives([...changedDocs].flatMap((id) => docs.get(id) ?? []));
    await this.saveAssignments([...changedRows].map((key) => rows.get(key) as AssignmentRow));
    for (const [directiveId, delta] of deltas) {
      const set = Object.fromEntries(COUNTERS.filter((c) => delta[c] !== 0).map((c) => [c, sql`${sql.ref(c)} + ${delta[c]}`]));
      if (Object.keys(set).length === 0) continue;
      await this.db.updateTable(this.t[DIRECTIVES_TABLE]).set(set).where('directive_id', '=', directiveId).execute();
    }
  }

  private async loadDirectives(ids: readonly string[]): Promise<Map<string, DirectiveDoc>> {
    const out = new Map<string, DirectiveDoc>();
    for (const chunk of chunks(ids)) {
      const rows = await this.db.selectFrom(this.t[DIRECTIVES_TABLE]).selectAll().where('directive_id', 'in', chunk).execute();
      for (const row of rows) out.set(String(row.directive_id), fromDbRow(row));
    }
    return out;
  }

  private async loadAssignments(keys: readonly string[]): Promise<Map<string, AssignmentRow>> {
    const byDirective = new Map<string, string[]>();
    for (const key of keys) {
      const [directiveId, unitId] = key.split('_');
      byDirective.set(directiveId, [...(byDirective.get(directiveId) ?? []), unitId]);
    }
    const out = new Map<string, AssignmentRow>();
    for (const [directiveId, unitIds] of byDirective) {
      for (const chunk of chunks(unitIds)) {
        const rows = await this.db
          .selectFrom(this.t[ASSIGNMENTS_TABLE])
          .selectAll()
          .where('directive_id', '=', directiveId)
          .where('unit_id', 'in', chunk)
          .execute();
        for (const row of rows as AssignmentRow[]) out.set(keyOf(row.directive_id, row.unit_id), row);
      }
    }
    return out;
  }

  /** New directives start with zero counters; an update never touches the counters. */
  private async saveDirectives(docs: readonly DirectiveDoc[]): Promise<void> {
    for (const doc of docs) {
      const row = toDbRow(doc);
      const zeros = Object.fromEntries(COUNTERS.map((c) => [c, 0]));
      await this.db
        .insertInto(this.t[DIRECTIVES_TABLE])
        .values({ ...row, ...zeros })
        .onConflict((oc) => oc.column('directive_id').doUpdateSet(row))
        .execute();
    }
  }

  private async saveAssignments(rows: readonly AssignmentRow[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]).filter((c) => c !== 'directive_id' && c !== 'unit_id');
    for (const chunk of chunks(rows)) {
      await this.db
        .insertInto(this.t[ASSIGNMENTS_TABLE])
        .values(chunk)
        .onConflict((oc) =>
          oc
            .columns(['directive_id', 'unit_id'])
            .doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)]))),
        )
        .execute();
    }
  }
}

/**
 * Directive status: each directive's document (header, targets, tasks, schedule) with counters
 * over its assignments, and each assignment's status: who acknowledged, who issued their own
 * implementing directive, who completed. A 100,000-unit issue lands in chunked multi-row INSERTs.
 */
export const directiveStatusProjection: Projection = {
  name: 'directive-status',
  tables: [DIRECTIVES_TABLE, ASSIGNMENTS_TABLE],
  filter: { categories: [DIRECTIVE, ASSIGNMENT] },
  async createTables(db: AnyDb, t: TableNames) {
    const counter = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);
    await db.schema
      .createTable(t[DIRECTIVES_TABLE])
      .ifNotExists()
      .addColumn('directive_id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('issuer_unit_id', 'text', (c) => c.notNull())
      .addColumn('basis_directive_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('document_date', 'text', (c) => c.notNull())
      .addColumn('period_from', 'text', (c) => c.notNull())
      .addColumn('period_to', 'text', (c) => c.notNull())
      .addColumn('drafted_at', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text')
      .addColumn('signed_by', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('cadence', 'text')
      .addColumn('approval_required', 'integer')
      .addColumn('header', 'text', (c) => c.notNull())
      .addColumn('targets', 'text', (c) => c.notNull())
      .addColumn('tasks', 'text', (c) => c.notNull())
      .addColumn('schedule', 'text')
      .addColumn('assignee_count', 'integer', counter)
      .addColumn('acknowledged_count', 'integer', counter)
      .addColumn('implementing_count', 'integer', counter)
      .addColumn('completed_count', 'integer', counter)
      .addColumn('cancelled_count', 'integer', counter)
      .execute();
    const assignments = t[ASSIGNMENTS_TABLE];
    await db.schema
      .createTable(assignments)
      .ifNotExists()
      .addColumn('directive_id', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull())
      .addColumn('issuer_unit_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('assigned_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', 'text')
      .addColumn('acknowledged_by', 'text')
      .addColumn('implementing_directive_id', 'text')
      .addColumn('implementing_at', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('completed_by', 'text')
      .addColumn('cancelled_at', 'text')
      .addColumn('cancel_reason', 'text')
      .addPrimaryKeyConstraint(`${assignments}_pk_${t.generation}`, ['directive_id', 'unit_id'])
      .execute();
  },
  async createIndexes(db: AnyDb, t: TableNames) {
    const indexes: [string, string, string[]][] = [
      [DIRECTIVES_TABLE, 'basis', ['basis_directive_id', 'document_date']],
      [DIRECTIVES_TABLE, 'issuer', ['issuer_unit_id']],
      [ASSIGNMENTS_TABLE, 'status', ['directive_id', 'status', 'unit_id']],
      [ASSIGNMENTS_TABLE, 'unit', ['unit_id']],
    ];
    for (const [table, name, columns] of indexes) {
      await db.schema.createIndex(`${t[table]}_${name}_${t.generation}`).ifNotExists().on(t[table]).columns(columns).execute();
    }
    // "Who has not issued their own plan" counts from the index alone, not 100,000 rows of a national directive.
    await db.schema
      .createIndex(`${t[ASSIGNMENTS_TABLE]}_no_plan_${t.generation}`)
      .ifNotExists()
      .on(t[ASSIGNMENTS_TABLE])
      .columns(['directive_id', 'status', 'unit_id'])
      .where(sql.ref('implementing_directive_id'), 'is', null)
      .execute();
  },
  async apply(trx: AnyDb, events: readonly RecordedEvent[], t: TableNames) {
    const ours = events.filter((e) => e.streamId.startsWith(`${DIRECTIVE}-`) || e.streamId.startsWith(`${ASSIGNMENT}-`));
    await new DirectiveStatusWriter(trx, t).apply(ours);
  },
};
