import { InMemoryEventStore, type NewEvent } from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';
import { unitStreamId, unitTreeProjection } from '@app/org';
import { Projector } from '@app/readstore';
import { describeOnReadStores, type ReadStoreFixture } from '../../../readstore/src/testing/read-stores';
import { assignmentStreamId, directiveStreamId } from '../directive.streams';
import { ASSIGNMENTS_TABLE, DIRECTIVES_TABLE, directiveStatusProjection } from './directive-status.projection';
import { assignmentsOf, childDirectives, directiveById } from './directive-status.queries';

const ISSUED_AT = '2026-01-10T02:00:00.000Z';
const COMMUNES = ['BX-01', 'BX-02', 'BX-03', 'SP-01', 'SP-02'];
const UNITS: [string, string, string | null][] = [
  ['LCI', 'province', null],
  ['BX', 'district', 'LCI'],
  ['SP', 'district', 'LCI'],
  ...COMMUNES.map((c): [string, string, string] => [c, 'commune', c.slice(0, 2)]),
];

const drafted = (directiveId: string, issuerUnitId: string, basisDirectiveId: string | null, documentDate = '2026-01-05') =>
  newEvent('DirectiveDrafted', {
    directiveId,
    number: `${directiveId}/KH`,
    kind: 'plan',
    title: `Kế hoạch ${directiveId}`,
    issuerUnitId,
    issuingBody: 'Ban Thường vụ',
    place: 'Lào Cai',
    documentDate,
    basisDirectiveId,
    period: { from: '2026-01-01', to: '2026-12-31' },
  });
const target = (targetId: string, value: number) => ({
  targetId,
  code: `(${targetId})`,
  title: `Chỉ tiêu ${targetId}`,
  shape: 'rate',
  measuredAtLevel: 'commune',
  value,
});
const schedule = {
  cadence: 'half_yearly',
  cutOffDay: 14,
  dueOffsetDays: 5,
  reminderOffsetsDays: [7, 3, 1],
  escalationSteps: [{ afterWorkingDays: 2, to: 'parent' }],
  approvalRequired: true,
};

type Snapshot = { directives: unknown[]; assignments: unknown[] };

describeOnReadStores('Directive status projection', (open) => {
  let fixture: ReadStoreFixture;
  let events: InMemoryEventStore;
  let projector: Projector;
  beforeEach(async () => {
    fixture = await open();
    events = new InMemoryEventStore();
    projector = new Projector(fixture.store, [directiveStatusProjection, unitTreeProjection]);
    await projector.prepare();
  });
  afterEach(async () => fixture.cleanup());

  const toDirective = (directiveId: string, ...list: NewEvent[]) => events.appendToStream(directiveStreamId(directiveId), list);
  const toAssignment = (unitId: string, type: string, data: object, directiveId = 'd1') =>
    events.appendToStream(assignmentStreamId(directiveId, unitId), [newEvent(type, data)]);
  /** Drafts d1 with two targets, a task and a schedule, then issues it to `assignees` with their DirectiveAssigned events in one append. */
  const issue = async (assignees: readonly string[]) => {
    await toDirective(
      'd1',
      drafted('d1', 'LCI', null),
      newEvent('TargetAdded', { directiveId: 'd1', target: target('t1', 0.8) }),
      newEvent('TargetAdded', { directiveId: 'd1', target: target('t2', 0.5) }),
      newEvent('TaskAdded', { directiveId: 'd1', taskId: 'k1', title: 'Xây dựng kế hoạch', level: 'commune', coordinating: [] }),
      newEvent('ReportingScheduleSet', { directiveId: 'd1', ...schedule }),
    );
    const issued = newEvent('DirectiveIssued', {
      directiveId: 'd1',
      signedBy: 'Chủ tịch',
      issuedAt: ISSUED_AT,
      assigneeUnitIds: assignees,
      scope: { level: 'commune', underUnitId: 'LCI' },
    });
    await events.appendToStreams([
      { streamId: directiveStreamId('d1'), events: [issued], expectedRevision: 'any' },
      ...assignees.map((unitId) => ({
        streamId: assignmentStreamId('d1', unitId),
        events: [newEvent('DirectiveAssigned', { directiveId: 'd1', unitId, issuerUnitId: 'LCI', assignedAt: ISSUED_AT })],
        expectedRevision: 'no_stream' as const,
      })),
    ]);
  };
  const registerUnits = async () => {
    for (const [unitId, level, parentId] of UNITS) {
      await events.appendToStream(unitStreamId(unitId), [
        newEvent('UnitRegistered', { unitId, code: unitId, name: `Hội ${unitId}`, level, parentId, validFrom: '2026-01-01' }),
      ]);
    }
  };
  /** The usual life of d1: three acknowledge, one issues its plan (d2), one completes, one is cancelled. */
  const lifeOfD1 = async () => {
    await registerUnits();
    await issue(COMMUNES);
    await toAssignment('BX-01', 'AssignmentAcknowledged', { by: 'officer.BX-01', at: '2026-01-11T02:00:00.000Z' });
    await toAssignment('BX-02', 'AssignmentAcknowledged', { by: 'officer.BX-02', at: '2026-01-11T03:00:00.000Z' });
    await toAssignment('SP-01', 'AssignmentAcknowledged', { by: 'officer.SP-01', at: '2026-01-12T02:00:00.000Z' });
    await toDirective('d2', drafted('d2', 'BX-01', 'd1', '2026-01-12'));
    await toAssignment('BX-01', 'ImplementingDirectiveIssued', { childDirectiveId: 'd2', at: '2026-01-13T02:00:00.000Z' });
    await toAssignment('BX-02', 'AssignmentCompleted', { by: 'officer.BX-02', at: '2026-06-01T02:00:00.000Z' });
    await toAssignment('SP-02', 'AssignmentCancelled', { reason: 'sáp nhập', at: '2026-02-01T02:00:00.000Z' });
  };

  const snapshot = async (): Promise<Snapshot> => ({
    directives: await fixture.store.db.selectFrom(DIRECTIVES_TABLE).selectAll().orderBy('directive_id').execute(),
    assignments: await fixture.store.db
      .selectFrom(ASSIGNMENTS_TABLE)
      .selectAll()
      .orderBy('directive_id')
      .orderBy('unit_id')
      .execute(),
  });

  /** Projects in batches of `batchSize`, then every event again in one batch: the second pass must change nothing. */
  const project = async (batchSize = 3): Promise<Snapshot> => {
    const all = await events.readAll({ maxCount: 1_000_000 });
    for (let i = 0; i < all.length; i += batchSize) {
      const batch = all.slice(i, i + batchSize);
      await projector.project(directiveStatusProjection, batch);
      await projector.project(unitTreeProjection, batch);
    }
    const first = await snapshot();
    expect(await projector.project(directiveStatusProjection, all)).toBe(0);
    expect(await snapshot()).toEqual(first);
    return first;
  };

  it('keeps the document, its counters and every assignment status', async () => {
    await lifeOfD1();
    const s = await project();
    expect(s.assignments).toHaveLength(5);
    const db = fixture.store.db;
    const d1 = await directiveById(db, 'd1');
    expect(d1).toMatchObject({
      directiveId: 'd1',
      number: 'd1/KH',
      status: 'issued',
      issuerUnitId: 'LCI',
      issuingBody: 'Ban Thường vụ',
      place: 'Lào Cai',
      issuedAt: ISSUED_AT,
      signedBy: 'Chủ tịch',
      scope: { level: 'commune', underUnitId: 'LCI' },
      period: { from: '2026-01-01', to: '2026-12-31' },
      schedule,
      counts: {
        assignees: 5,
        acknowledged: 3,
        notAcknowledged: 1,
        implementing: 1,
        notImplementing: 3,
        completed: 1,
        cancelled: 1,
      },
    });
    expect(d1?.targets.map((t) => [t.targetId, t.value])).toEqual([
      ['t1', 0.8],
      ['t2', 0.5],
    ]);
    expect(d1?.tasks).toEqual([{ taskId: 'k1', title: 'Xây dựng kế hoạch', level: 'commune', coordinating: [] }]);
    expect(JSON.stringify(d1)).not.toContain('assigneeUnitIds');
    expect((await childDirectives(db, 'd1')).items).toEqual([
      {
        directiveId: 'd2',
        number: 'd2/KH',
        kind: 'plan',
        title: 'Kế hoạch d2',
        issuerUnitId: 'BX-01',
        status: 'draft',
        documentDate: '2026-01-12',
        issuedAt: null,
      },
    ]);
    expect((await childDirectives(db, 'd1', { under: 'SP' })).total).toBe(0);

    const units = async (filter: Parameters<typeof assignmentsOf>[2]) =>
      (await assignmentsOf(db, 'd1', filter)).items.map((a) => a.unitId);
    expect(await units({ status: 'assigned' })).toEqual(['BX-03']);
    expect(await units({ status: 'acknowledged' })).toEqual(['BX-01', 'SP-01']);
    expect(await units({ notImplemented: true })).toEqual(['BX-02', 'BX-03', 'SP-01']);
    expect(await units({ status: 'acknowledged', notImplemented: true })).toEqual(['SP-01']);
    expect(await units({ under: 'BX' })).toEqual(['BX-01', 'BX-02', 'BX-03']);
    expect(await units({ under: 'SP', status: 'cancelled' })).toEqual(['SP-02']);
    expect(await assignmentsOf(db, 'd1', { under: 'BX', pageSize: 1, page: 2 })).toMatchObject({
      total: 3,
      items: [{ unitId: 'BX-02' }],
    });
    // Under the tree's only root: every assignment, as without `under`; totals from the counters where they can tell.
    for (const filter of [{}, { status: 'assigned' as const }, { status: 'cancelled' as const }, { notImplemented: true }]) {
      expect(await assignmentsOf(db, 'd1', { ...filter, under: 'LCI', pageSize: 2, page: 2 })).toEqual(
        await assignmentsOf(db, 'd1', { ...filter, pageSize: 2, page: 2 }),
      );
      const all = await assignmentsOf(db, 'd1', { ...filter, pageSize: 500 });
      expect(all.total).toBe(all.items.length);
    }
    expect(await units({ pageSize: 2, page: 2 })).toEqual(['BX-03', 'SP-01']);
    const bx01 = (await assignmentsOf(db, 'd1', { under: 'BX-01' })).items[0];
    expect(bx01).toMatchObject({
      unitId: 'BX-01',
      unitName: 'Hội BX-01',
      unitLevel: 'commune',
      status: 'acknowledged',
      acknowledgedBy: 'officer.BX-01',
      implementingDirectiveId: 'd2',
      implementingAt: '2026-01-13T02:00:00.000Z',
    });
  });

  it('applies amendments and the closing to the document, and leaves the counters alone', async () => {
    await issue(['BX-01', 'BX-02']);
    await toAssignment('BX-01', 'AssignmentAcknowledged', { by: 'u', at: ISSUED_AT });
    await toDirective(
      'd1',
      newEvent('DirectiveAmended', {
        directiveId: 'd1',
        changes: { targetsReplaced: [target('t1', 0.9)], tasksAdded: [{ taskId: 'k2', title: 'Sơ kết', coordinating: [] }] },
        reason: 'Nâng chỉ tiêu',
      }),
    );
    await toDirective('d1', newEvent('DirectiveClosed', { directiveId: 'd1', reason: 'Hết hiệu lực' }));
    await project(2);
    const d1 = await directiveById(fixture.store.db, 'd1');
    expect(d1).toMatchObject({
      status: 'closed',
      closeReason: 'Hết hiệu lực',
      amendments: [{ reason: 'Nâng chỉ tiêu' }],
      counts: { assignees: 2, acknowledged: 1, notAcknowledged: 1 },
    });
    expect(d1?.closedAt).toEqual(expect.any(String));
    expect(d1?.targets.map((t) => [t.targetId, t.value])).toEqual([
      ['t1', 0.9],
      ['t2', 0.5],
    ]);
    expect(d1?.tasks.map((t) => t.taskId)).toEqual(['k1', 'k2']);
  });

  it('rebuilds into identical rows', async () => {
    await lifeOfD1();
    const live = await project();
    await projector.rebuild(directiveStatusProjection, events, undefined, 4);
    expect(await snapshot()).toEqual(live);
  });

  it('projects the fan-out of a 100,000-unit issue in chunked INSERTs, in a few seconds', async () => {
    const assignees = Array.from({ length: 100_000 }, (_, i) => `C${String(i).padStart(6, '0')}`);
    await issue(assignees);
    for (let i = 0; i < 1000; i += 1) {
      await toAssignment(assignees[i * 7], 'AssignmentAcknowledged', { by: 'u', at: ISSUED_AT });
    }
    const started = Date.now();
    // Batches of 1,000, as the worker's subscription hands them over.
    for (let after = 0; ;) {
      const batch = await events.readAll({ after, maxCount: 1000 });
      if (batch.length === 0) break;
      await projector.project(directiveStatusProjection, batch);
      after = batch[batch.length - 1].position;
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`${fixture.store.dialect}: 101,005 events (100,000 assignments) projected in ${seconds.toFixed(2)} s`);
    expect(await directiveById(fixture.store.db, 'd1')).toMatchObject({
      counts: { assignees: 100_000, acknowledged: 1000, notAcknowledged: 99_000 },
    });
    const first = await snapshot();
    expect(await projector.project(directiveStatusProjection, await events.readAll({ maxCount: 1_000_000 }))).toBe(0);
    expect(await snapshot()).toEqual(first);
    const waiting = await assignmentsOf(fixture.store.db, 'd1', { status: 'assigned', pageSize: 500, page: 3 });
    expect(waiting).toMatchObject({ total: 99_000, page: 3, pageSize: 500 });
    // Every 7th of the first 7,000 acknowledged: the 1,001st still waiting is C001167.
    expect(waiting.items[0].unitId).toBe('C001167');
  });
});
