import { sql } from 'kysely';
import { newEvent } from '@app/eventstore/testing';
import type { RecordedEvent } from '@app/eventstore';
import { Projector } from '@app/readstore';
import { describeOnReadStores, type ReadStoreFixture } from '../../../readstore/src/testing/read-stores';
import { reportStreamId } from '../report.streams';
import { escalationsProjection } from './escalations.projection';
import { OBLIGATION_SCOPE_TABLE, OBLIGATIONS_TABLE, officialStatus, type ObligationRow } from './obligation-status.projection';
import { directiveStatus, listObligations, targetAchievement, unitDashboard } from './reporting.queries';
import { PERIODS_TABLE, TARGET_SETS_TABLE } from './reporting-targets';
import { reportingStatusProjection } from './reporting-status.projection';
import { ROLLUPS_TABLE } from './rollup.projection';
import { ReportHistory, values } from './testing/report-history';

const H1 = '2026-H1';
const projection = reportingStatusProjection;

const ORDER: Readonly<Record<string, readonly string[]>> = {
  [OBLIGATIONS_TABLE]: ['directive_id', 'period', 'unit_id'],
  [OBLIGATION_SCOPE_TABLE]: ['node_unit_id', 'directive_id', 'period', 'unit_id'],
  [TARGET_SETS_TABLE]: ['set_id'],
  [PERIODS_TABLE]: ['directive_id', 'period'],
  [ROLLUPS_TABLE]: ['directive_id', 'node_unit_id', 'period', 'level'],
};

/** Every row of every table of the projection, in key order, numbers as numbers. */
const snapshot = async (fixture: ReadStoreFixture) => {
  const out: Record<string, unknown[]> = {};
  for (const [table, keys] of Object.entries(ORDER)) {
    let query = fixture.store.db.selectFrom(table).selectAll();
    for (const key of keys) query = query.orderBy(key);
    out[table] = (await query.execute()).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
  }
  return out;
};

type Rollup = Record<string, unknown> & { submitted_targets: string; approved_targets: string };

const rollup = async (fixture: ReadStoreFixture, node: string, level = 'commune', period = H1) => {
  const row = (await fixture.store.db
    .selectFrom(ROLLUPS_TABLE)
    .selectAll()
    .where('directive_id', '=', 'd1')
    .where('node_unit_id', '=', node)
    .where('period', '=', period)
    .where('level', '=', level)
    .executeTakeFirst()) as Rollup | undefined;
  if (!row) return undefined;
  const { submitted_targets, approved_targets, ...rest } = row;
  const counts = Object.fromEntries(
    ['expected', 'submitted', 'on_time', 'late', 'approved', 'overdue', 'escalated', 'waived', 'awaiting_review'].map((c) => [
      c,
      Number(rest[c]),
    ]),
  );
  return {
    counts,
    submitted: JSON.parse(submitted_targets),
    approved: JSON.parse(approved_targets),
    parent: rest.parent_node_id,
  };
};

const obligation = async (fixture: ReadStoreFixture, unitId: string, period = H1) =>
  (await fixture.store.db
    .selectFrom(OBLIGATIONS_TABLE)
    .selectAll()
    .where('directive_id', '=', 'd1')
    .where('unit_id', '=', unitId)
    .where('period', '=', period)
    .executeTakeFirstOrThrow()) as ObligationRow;

describeOnReadStores('Reporting status projection (obligations and roll-ups)', (open) => {
  let fixture: ReadStoreFixture;
  let projector: Projector;
  let h: ReportHistory;

  beforeEach(async () => {
    fixture = await open();
    // The escalations tables too: the dashboard reads them.
    projector = new Projector(fixture.store, [projection, escalationsProjection]);
    await projector.prepare();
    h = new ReportHistory();
  });
  afterEach(async () => fixture.cleanup());

  /** Projects everything new, then checks that the whole log and a sub-range, projected again, change nothing. */
  const project = async (): Promise<RecordedEvent[]> => {
    const all = await h.all();
    await projector.project(projection, all);
    const before = await snapshot(fixture);
    expect(await projector.project(projection, all)).toBe(0);
    expect(await projector.project(projection, all.slice(Math.floor(all.length / 3), Math.ceil((2 * all.length) / 3) + 1))).toBe(
      0,
    );
    expect(await snapshot(fixture)).toEqual(before);
    return all;
  };

  it('opens obligations with the ancestry they carry, and counts them as expected at every ancestor', async () => {
    await h.open(H1, ['C1', 'C2', 'C3']);
    await project();
    const c1 = await obligation(fixture, 'C1');
    expect(c1).toMatchObject({
      unit_level: 'commune',
      ancestors: '["D1","P","TW"]',
      reviewer_unit_id: 'D1',
      status: 'pending',
      due: '2026-06-20T10:00:00.000Z',
      version: 0,
      overdue: 0,
      escalated: 0,
      current_values: null,
    });
    expect((await rollup(fixture, 'C1'))?.counts.expected).toBe(1);
    expect(await rollup(fixture, 'D1')).toMatchObject({ counts: { expected: 2, submitted: 0 }, parent: 'P', submitted: {} });
    expect(await rollup(fixture, 'D2')).toMatchObject({ counts: { expected: 1 }, parent: 'P' });
    expect(await rollup(fixture, 'P')).toMatchObject({ counts: { expected: 3 }, parent: 'TW' });
    expect(await rollup(fixture, 'TW')).toMatchObject({ counts: { expected: 3 }, parent: null });
    const scope = await fixture.store.db
      .selectFrom(OBLIGATION_SCOPE_TABLE)
      .select('node_unit_id')
      .where('unit_id', '=', 'C3')
      .execute();
    expect(scope.map((r) => r.node_unit_id).sort()).toEqual(['C3', 'D2', 'P', 'TW']);
  });

  it('rolls a rate up as a ratio of sums: 850/1000 and 10/100 give 860/1100, not the average of 85% and 10%', async () => {
    await h.open(H1, ['C1', 'C2', 'C3']);
    await h.submit('C1', H1, 1, values(850, 1000));
    await h.submit('C2', H1, 1, values(10, 100));
    await project();
    expect(await rollup(fixture, 'D1')).toMatchObject({
      counts: { expected: 2, submitted: 2, on_time: 2, approved: 0 },
      submitted: { 't-rate': { n: 2, num: 860, den: 1100 } },
      approved: {},
    });
    expect((await rollup(fixture, 'P'))?.submitted).toEqual({ 't-rate': { n: 2, num: 860, den: 1100 } });
    const achievement = await targetAchievement(fixture.store.db, {
      directiveId: 'd1',
      unitId: 'P',
      period: H1,
      include: 'submitted',
      at: new Date('2026-06-16T00:00:00Z'),
    });
    const rate = achievement.targets.find((t) => t.targetId === 't-rate');
    expect(rate).toMatchObject({ figure: 860 / 1100, goal: 0.9, label: 'at-risk', parts: { n: 2, num: 860, den: 1100 } });
    expect(rate?.figure).not.toBeCloseTo((0.85 + 0.1) / 2);
  });

  it('does not count a returned report as submitted or approved until it is resubmitted and approved', async () => {
    await h.open(H1, ['C1', 'C2']);
    await h.submit('C1', H1, 1, values(850, 1000));
    await h.submit('C2', H1, 1, values(10, 100));
    await h.approve('C2', H1, 1);
    await h.returnReport('C1', H1, 1);
    await project();
    expect((await obligation(fixture, 'C1')).status).toBe('returned');
    expect(await rollup(fixture, 'D1')).toMatchObject({
      counts: { expected: 2, submitted: 1, approved: 1, awaiting_review: 0 },
      submitted: { 't-rate': { n: 1, num: 10, den: 100 } },
      approved: { 't-rate': { n: 1, num: 10, den: 100 } },
    });
    expect(await rollup(fixture, 'C1')).toMatchObject({
      counts: { expected: 1, submitted: 0, approved: 0 },
      submitted: {},
      approved: {},
    });

    await h.submit('C1', H1, 2, values(870, 1000), false);
    await project();
    expect(await rollup(fixture, 'D1')).toMatchObject({
      counts: { submitted: 2, on_time: 1, late: 1, approved: 1, awaiting_review: 1 },
      submitted: { 't-rate': { n: 2, num: 880, den: 1100 } },
      approved: { 't-rate': { n: 1, num: 10, den: 100 } },
    });
    await h.approve('C1', H1, 2);
    await project();
    expect(await rollup(fixture, 'P')).toMatchObject({
      counts: { submitted: 2, approved: 2, awaiting_review: 0 },
      approved: { 't-rate': { n: 2, num: 880, den: 1100 } },
    });
  });

  it('moves the approved aggregates by the difference only when a correction after approval is approved', async () => {
    await h.open(H1, ['C1', 'C2']);
    await h.submit('C1', H1, 1, values(850, 1000, { total: 40 }));
    await h.submit('C2', H1, 1, values(10, 100, { total: 5 }));
    await h.approve('C1', H1, 1);
    await h.approve('C2', H1, 1);
    await project();
    expect((await rollup(fixture, 'P'))?.approved).toEqual({
      't-rate': { n: 2, num: 860, den: 1100 },
      't-total': { n: 2, sum: 45 },
    });

    await h.correct('C1', H1, 2, values(900, 1000, { total: 50 }));
    await project();
    // The correction awaits approval: it counts among the submitted values; the approved ones stay.
    expect(await rollup(fixture, 'P')).toMatchObject({
      counts: { submitted: 2, approved: 2, awaiting_review: 1 },
      submitted: { 't-rate': { n: 2, num: 910, den: 1100 }, 't-total': { n: 2, sum: 55 } },
      approved: { 't-rate': { n: 2, num: 860, den: 1100 }, 't-total': { n: 2, sum: 45 } },
    });
    await h.approve('C1', H1, 2);
    await project();
    expect(await rollup(fixture, 'P')).toMatchObject({
      counts: { submitted: 2, approved: 2 },
      approved: { 't-rate': { n: 2, num: 910, den: 1100 }, 't-total': { n: 2, sum: 55 } },
    });
    expect(await obligation(fixture, 'C1')).toMatchObject({ status: 'approved', version: 2, approved_version: 2 });
  });

  it('rolls up a share-of-units target and a floor as units meeting them, with the share as the figure', async () => {
    await h.open(H1, ['C1', 'C2', 'C3']);
    await h.submit('C1', H1, 1, values(1, 2, { share: 1, floor: 2, done: true }));
    await h.submit('C2', H1, 1, values(1, 2, { share: 0, floor: 1, done: false }));
    await h.submit('C3', H1, 1, values(1, 2, { share: 3, floor: 5, done: true }));
    await project();
    expect((await rollup(fixture, 'P'))?.submitted).toEqual({
      't-rate': { n: 3, num: 3, den: 6 },
      't-share': { n: 3, meet: 2 },
      't-floor': { n: 3, sum: 8, meet: 2 },
      't-done': { n: 3, done: 2 },
    });
    const at = new Date('2026-06-16T00:00:00Z');
    const p = await targetAchievement(fixture.store.db, { directiveId: 'd1', unitId: 'P', period: H1, include: 'submitted', at });
    const byId = Object.fromEntries(p.targets.map((t) => [t.targetId, t]));
    expect(byId['t-share']).toMatchObject({ figure: 2 / 3, goal: 0.5, label: 'on-track' });
    expect(byId['t-floor']).toMatchObject({ figure: 2 / 3, goal: 1, label: 'at-risk' });
    expect(byId['t-done']).toMatchObject({ figure: 2 / 3, goal: 1 });
    expect(byId['t-total']).toMatchObject({ figure: null, label: 'at-risk' });
    const d1 = await targetAchievement(fixture.store.db, {
      directiveId: 'd1',
      unitId: 'D1',
      period: H1,
      include: 'submitted',
      at,
    });
    expect(d1.targets.find((t) => t.targetId === 't-share')).toMatchObject({ figure: 0.5, label: 'on-track' });
    const after = await targetAchievement(fixture.store.db, {
      directiveId: 'd1',
      unitId: 'P',
      period: H1,
      include: 'submitted',
      at: new Date('2026-07-01T00:00:00Z'),
    });
    expect(after.targets.find((t) => t.targetId === 't-share')?.label).toBe('achieved');
    expect(after.targets.find((t) => t.targetId === 't-rate')?.label).toBe('missed');
  });

  it('keeps both merged communes in their own history and the province totals unchanged after a mid-year merge', async () => {
    await h.open(H1, ['C1', 'C2', 'C3']);
    await h.submit('C1', H1, 1, values(850, 1000));
    await h.submit('C2', H1, 1, values(10, 100));
    await h.approve('C1', H1, 1);
    await h.approve('C2', H1, 1);
    await project();
    const h1Before = await snapshot(fixture);

    // C2 merges into C1, and C1 moves to D2: unit events, which this projection never reads.
    await h.store.appendToStream('unit-C2', [newEvent('UnitMerged', { intoUnitId: 'C1', validFrom: '2026-07-01' })]);
    await h.store.appendToStream('unit-C1', [
      newEvent('UnitMoved', { fromParentId: 'D1', toParentId: 'D2', validFrom: '2026-07-01' }),
    ]);
    await project();
    expect(await snapshot(fixture)).toEqual(h1Before);

    // The second half-year opens for the merged commune where it now stands.
    await h.open('2026-H2', ['C1', 'C3'], { ancestorUnitIds: ['D2', 'P', 'TW'], reviewerUnitId: 'D2' });
    await h.submit('C1', '2026-H2', 1, values(900, 1100));
    await project();
    for (const unit of ['C1', 'C2'])
      expect(await obligation(fixture, unit)).toMatchObject({ status: 'approved', ancestors: '["D1","P","TW"]' });
    const h1Rollups = (snap: Record<string, unknown[]>) =>
      snap[ROLLUPS_TABLE].filter((r) => (r as { period: string }).period === H1);
    expect(h1Rollups(await snapshot(fixture))).toEqual(h1Rollups(h1Before));
    expect(await rollup(fixture, 'P')).toMatchObject({
      counts: { expected: 3, approved: 2 },
      approved: { 't-rate': { num: 860, den: 1100 } },
    });
    expect(await rollup(fixture, 'D1')).toMatchObject({ counts: { expected: 2, approved: 2 } });
    expect(await rollup(fixture, 'D1', 'commune', '2026-H2')).toBeUndefined();
    expect(await rollup(fixture, 'D2', 'commune', '2026-H2')).toMatchObject({
      counts: { expected: 2, submitted: 1 },
      submitted: { 't-rate': { n: 1, num: 900, den: 1100 } },
    });
    expect(await rollup(fixture, 'P', 'commune', '2026-H2')).toMatchObject({ counts: { expected: 2, submitted: 1 } });
  });

  it('counts overdue, escalated and waived obligations, and a late submission clears them', async () => {
    await h.open(H1, ['C1', 'C2', 'C3']);
    await h.append('C1', H1, { type: 'ReminderIssued', data: { step: 1, daysBefore: 3 } });
    await h.append(
      'C1',
      H1,
      { type: 'ReportOverdue', data: { due: '2026-06-20T17:00:00+07:00' } },
      { type: 'EscalationRaised', data: { toUnitId: 'D1', step: 1 } },
    );
    await h.append('C2', H1, { type: 'ObligationWaived', data: { reason: 'Sáp nhập' } });
    await project();
    expect((await rollup(fixture, 'P'))?.counts).toEqual({
      expected: 2,
      submitted: 0,
      on_time: 0,
      late: 0,
      approved: 0,
      overdue: 1,
      escalated: 1,
      waived: 1,
      awaiting_review: 0,
    });
    const now = new Date('2026-06-10T00:00:00Z');
    expect(officialStatus(await obligation(fixture, 'C1'), now)).toBe('overdue');
    expect(officialStatus(await obligation(fixture, 'C2'), now)).toBeNull();
    expect(officialStatus(await obligation(fixture, 'C3'), now)).toBe('in_progress_within_deadline');
    expect(officialStatus(await obligation(fixture, 'C3'), new Date('2026-06-21T00:00:00Z'))).toBe('overdue');

    await h.submit('C1', H1, 1, values(1, 2), false);
    await h.append('C1', H1, { type: 'EscalationResolved', data: { toUnitId: 'D1', step: 1, by: 'submission' } });
    await project();
    expect((await rollup(fixture, 'D1'))?.counts).toMatchObject({
      expected: 1,
      submitted: 1,
      late: 1,
      overdue: 0,
      escalated: 0,
      waived: 1,
      awaiting_review: 1,
    });
    expect(officialStatus(await obligation(fixture, 'C1'), now)).toBe('completed_late');
  });

  it('counts the submitted values as approved when the directive needs no approval', async () => {
    await h.open(H1, ['C1', 'C2'], { approvalRequired: false });
    await h.submit('C1', H1, 1, values(850, 1000));
    await h.submit('C2', H1, 1, values(10, 100));
    await h.correct('C2', H1, 2, values(20, 100));
    await project();
    expect(await rollup(fixture, 'D1')).toMatchObject({
      counts: { submitted: 2, approved: 2 },
      approved: { 't-rate': { n: 2, num: 870, den: 1100 } },
      submitted: { 't-rate': { n: 2, num: 870, den: 1100 } },
    });
  });

  it('answers status by level at a node, drills down to children, and lists a subtree with paging', async () => {
    await h.open(H1, ['C1', 'C2', 'C3', 'D1', 'D2']);
    await h.submit('C1', H1, 1, values(850, 1000));
    await h.submit('D1', H1, 1, values(5, 10));
    await h.approve('C1', H1, 1);
    await h.submit('C3', H1, 1, values(10, 100), false);
    await project();
    const status = await directiveStatus(fixture.store.db, {
      directiveId: 'd1',
      unitId: 'P',
      period: H1,
      include: 'approved',
      children: true,
    });
    expect(status.levels.map((l) => [l.level, l.expected, l.submitted, l.approved])).toEqual([
      ['commune', 3, 2, 1],
      ['district', 2, 1, 0],
    ]);
    expect(status.total).toMatchObject({ expected: 5, submitted: 3, completeness: 3 / 5 });
    expect(status.levels[0].targets).toEqual({ 't-rate': { n: 1, num: 850, den: 1000 } });
    expect(status.children?.map((c) => [c.unitId, c.total.expected, c.levels.map((l) => l.level)])).toEqual([
      ['D1', 3, ['commune', 'district']],
      ['D2', 2, ['commune', 'district']],
    ]);
    const submitted = await directiveStatus(fixture.store.db, {
      directiveId: 'd1',
      unitId: 'D2',
      period: H1,
      include: 'submitted',
      children: false,
    });
    expect(submitted.targets).toEqual({ 't-rate': { n: 1, num: 10, den: 100 } });

    const now = new Date('2026-06-16T00:00:00Z');
    const page1 = await listObligations(fixture.store.db, { unitId: 'D1', directiveId: 'd1', now, page: 1, pageSize: 2 });
    expect(page1.total).toBe(3);
    expect(page1.items.map((o) => o.unitId)).toEqual(['C1', 'C2']);
    const page2 = await listObligations(fixture.store.db, { unitId: 'D1', now, page: 2, pageSize: 2 });
    expect(page2.items.map((o) => o.unitId)).toEqual(['D1']);
    // The SQL condition and the pure function agree on every official status.
    const all = await listObligations(fixture.store.db, { unitId: 'TW', now, page: 1, pageSize: 100 });
    for (const official of ['completed_on_time', 'completed_late', 'in_progress_within_deadline', 'overdue'] as const) {
      const filtered = await listObligations(fixture.store.db, {
        unitId: 'TW',
        officialStatus: official,
        now,
        page: 1,
        pageSize: 100,
      });
      expect(filtered.items.map((o) => o.unitId)).toEqual(
        all.items.filter((o) => o.officialStatus === official).map((o) => o.unitId),
      );
    }
    const late = await listObligations(fixture.store.db, {
      unitId: 'P',
      officialStatus: 'completed_late',
      now,
      page: 1,
      pageSize: 10,
    });
    expect(late.items.map((o) => o.unitId)).toEqual(['C3']);
    const pending = await listObligations(fixture.store.db, {
      unitId: 'P',
      status: 'pending',
      period: H1,
      now,
      page: 1,
      pageSize: 10,
    });
    expect(pending.items.map((o) => o.unitId)).toEqual(['C2', 'D2']);

    const dashboard = await unitDashboard(fixture.store.db, 'D1', now);
    expect(dashboard.assigned).toEqual([
      expect.objectContaining({ unitId: 'D1', status: 'submitted', officialStatus: 'completed_on_time' }),
    ]);
    expect(dashboard.subtree).toEqual([
      {
        directiveId: 'd1',
        period: H1,
        expected: 3,
        submitted: 2,
        onTime: 2,
        late: 0,
        approved: 1,
        overdue: 0,
        escalated: 0,
        waived: 0,
        completeness: 2 / 3,
      },
    ]);
  });

  it('gives the total of a filtered list from the roll-ups, equal to a count of the subtree, before and after the due instant', async () => {
    const Q3 = '2026-Q3';
    await h.open(H1, ['C1', 'C2', 'C3', 'D1', 'D2']);
    await h.open(Q3, ['C1', 'C2', 'C3'], { due: '2026-10-20T17:00:00+07:00' });
    await h.submit('C1', H1, 1, values(850, 1000));
    await h.approve('C1', H1, 1);
    await h.correct('C1', H1, 2, values(860, 1000));
    await h.submit('C2', H1, 1, values(10, 100), false);
    await h.returnReport('C2', H1, 1);
    await h.append('C3', H1, { type: 'ReportOverdue', data: { due: '2026-06-20T10:00:00.000Z' } });
    await h.append('D2', H1, { type: 'ObligationWaived', data: { reason: 'Sáp nhập' } });
    await h.submit('C1', Q3, 1, values(1, 2));
    await h.append('C2', Q3, { type: 'ReportOverdue', data: { due: '2026-10-20T10:00:00.000Z' } });
    await project();
    const statuses = [undefined, 'pending', 'submitted', 'returned', 'approved', 'waived'] as const;
    const officials = [undefined, 'completed_on_time', 'completed_late', 'in_progress_within_deadline', 'overdue'] as const;
    for (const now of [new Date('2026-06-16T00:00:00Z'), new Date('2026-07-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z')]) {
      for (const unitId of ['TW', 'P', 'D1', 'C2', 'X'])
        for (const period of [undefined, H1, Q3])
          for (const status of statuses)
            for (const officialStatus of officials) {
              const f = { unitId, directiveId: 'd1', period, status, officialStatus, now, page: 1, pageSize: 100 };
              const list = await listObligations(fixture.store.db, f);
              expect({ ...f, total: list.total }).toEqual({ ...f, total: list.items.length });
              if (list.total > 0)
                expect((await listObligations(fixture.store.db, { ...f, page: 2, pageSize: list.total })).items).toEqual([]);
            }
    }
  });

  it('opens a fan-out of thousands of obligations in one batch, one write per touched row', async () => {
    const branches = Array.from({ length: 3000 }, (_, i) => `B${i}`);
    const parentOf = (i: number) => `C${(i % 3) + 1}`;
    await h.store.appendToStreams(
      branches.map((unitId, i) => ({
        streamId: reportStreamId('d1', unitId, H1),
        events: [
          newEvent('ReportingObligationOpened', {
            ...h.obligation(unitId, H1),
            unitLevel: 'branch',
            reviewerUnitId: parentOf(i),
            ancestorUnitIds: [parentOf(i), ...(i % 3 === 2 ? ['D2', 'P', 'TW'] : ['D1', 'P', 'TW'])],
          }),
        ],
      })),
    );
    const started = Date.now();
    await project();
    const elapsed = Date.now() - started;
    expect((await rollup(fixture, 'TW', 'branch'))?.counts.expected).toBe(3000);
    expect((await rollup(fixture, 'D1', 'branch'))?.counts.expected).toBe(2000);
    expect((await rollup(fixture, 'C3', 'branch'))?.counts.expected).toBe(1000);
    const rows = await fixture.store.db
      .selectFrom(ROLLUPS_TABLE)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(3000 + 3 + 2 + 1 + 1);
    const sets = await fixture.store.db
      .selectFrom(TARGET_SETS_TABLE)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(sets.n)).toBe(1);
    console.log(`${fixture.store.dialect}: projected in ${elapsed} ms (figures belong in docs/benchmarks.md, not in assertions)`);
  });

  it('rebuilds into identical rows', async () => {
    await h.open(H1, ['C1', 'C2', 'C3', 'D1']);
    await h.submit('C1', H1, 1, values(850, 1000, { share: 1, floor: 3, total: 0.1, done: true }));
    await h.submit('C2', H1, 1, values(10, 100, { share: 0, floor: 1, total: 0.2, done: false }));
    await h.approve('C1', H1, 1);
    await h.returnReport('C2', H1, 1);
    await h.submit('C2', H1, 2, values(20, 100, { share: 1, total: 0.3 }), false);
    await h.correct('C1', H1, 2, values(870, 1000, { share: 2, floor: 2, total: 0.7, done: true }));
    await h.approve('C1', H1, 2);
    await h.append('C3', H1, { type: 'ReportOverdue', data: { due: '2026-06-20T17:00:00+07:00' } });
    await h.append('D1', H1, { type: 'ObligationWaived', data: { reason: 'x' } });
    await h.open('2026-H2', ['C1', 'C3']);
    await project();
    const live = await snapshot(fixture);
    await projector.rebuild(projection, h.store, undefined, 3);
    expect(await snapshot(fixture)).toEqual(live);
    await projector.rebuild(projection, h.store);
    expect(await snapshot(fixture)).toEqual(live);
  });

  it('fills awaiting_review from the obligations when a read store made before it starts', async () => {
    await h.open(H1, ['C1', 'C2', 'C3']);
    await h.submit('C1', H1, 1, values(850, 1000));
    await h.submit('C2', H1, 1, values(10, 100));
    await h.approve('C2', H1, 1);
    await project();
    const live = await snapshot(fixture);
    expect((await rollup(fixture, 'P'))?.counts.awaiting_review).toBe(1);
    // The table as an older version made it, then the next start.
    await fixture.store.transaction((trx) => sql`ALTER TABLE rm_rollups DROP COLUMN awaiting_review`.execute(trx));
    await new Projector(fixture.store, [projection]).prepare();
    expect(await snapshot(fixture)).toEqual(live);
  });
});
