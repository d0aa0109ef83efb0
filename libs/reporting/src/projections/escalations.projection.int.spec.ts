import { Projector } from '@app/readstore';
import { describeOnReadStores, type ReadStoreFixture } from '../../../readstore/src/testing/read-stores';
import { ESCALATIONS_TABLE, escalationsProjection } from './escalations.projection';
import { escalationsTo, overdueSubordinates } from './reporting.queries';
import { reportingStatusProjection } from './reporting-status.projection';
import { ReportHistory, values } from './testing/report-history';

const H1 = '2026-H1';
const DUE = '2026-06-20T17:00:00+07:00';

const rows = async (fixture: ReadStoreFixture) =>
  fixture.store.db.selectFrom(ESCALATIONS_TABLE).selectAll().orderBy('unit_id').orderBy('step').execute();

describeOnReadStores('Escalations projection', (open) => {
  let fixture: ReadStoreFixture;
  let projector: Projector;
  let h: ReportHistory;

  beforeEach(async () => {
    fixture = await open();
    projector = new Projector(fixture.store, [escalationsProjection, reportingStatusProjection]);
    await projector.prepare();
    h = new ReportHistory();
  });
  afterEach(async () => fixture.cleanup());

  const project = async () => {
    const all = await h.all();
    for (const projection of projector.projections) await projector.project(projection, all);
    const before = await rows(fixture);
    for (const projection of projector.projections) {
      expect(await projector.project(projection, all)).toBe(0);
      expect(await projector.project(projection, all.slice(1, Math.ceil(all.length / 2)))).toBe(0);
    }
    expect(await rows(fixture)).toEqual(before);
  };

  const escalate = (unitId: string, step: number, toUnitId: string) =>
    h.append(unitId, H1, { type: 'EscalationRaised', data: { toUnitId, step } });

  it('keeps escalations open by the unit they are raised to until a submission or a waiver resolves them', async () => {
    await h.open(H1, ['C1', 'C2', 'C3']);
    await h.append('C1', H1, { type: 'ReportOverdue', data: { due: DUE } });
    await escalate('C1', 1, 'D1');
    await h.append('C2', H1, { type: 'ReportOverdue', data: { due: DUE } });
    await escalate('C2', 1, 'D1');
    await escalate('C2', 2, 'P');
    // Raised and resolved within one batch.
    await h.append('C3', H1, { type: 'ReportOverdue', data: { due: DUE } });
    await escalate('C3', 1, 'D2');
    await h.append(
      'C3',
      H1,
      { type: 'ObligationWaived', data: { reason: 'x' } },
      {
        type: 'EscalationResolved',
        data: { toUnitId: 'D2', step: 1, by: 'waiver' },
      },
    );
    await project();
    expect((await escalationsTo(fixture.store.db, 'D1', 'open')).map((e) => [e.unitId, e.step])).toEqual([
      ['C2', 1],
      ['C1', 1],
    ]);
    expect((await escalationsTo(fixture.store.db, 'P', 'open')).map((e) => [e.unitId, e.step])).toEqual([['C2', 2]]);
    expect(await escalationsTo(fixture.store.db, 'D2', 'open')).toEqual([]);
    expect(await escalationsTo(fixture.store.db, 'D2', 'all')).toEqual([
      expect.objectContaining({ unitId: 'C3', toUnitId: 'D2', resolvedBy: 'waiver', directiveId: 'd1', period: H1 }),
    ]);
    const now = new Date('2026-06-25T00:00:00Z');
    expect((await overdueSubordinates(fixture.store.db, 'D1', now)).map((o) => o.unitId)).toEqual(['C1', 'C2']);

    // A submission resolves what was raised in earlier batches.
    await h.submit('C2', H1, 1, values(1, 2), false);
    await h.append(
      'C2',
      H1,
      { type: 'EscalationResolved', data: { toUnitId: 'D1', step: 1, by: 'submission' } },
      { type: 'EscalationResolved', data: { toUnitId: 'P', step: 2, by: 'submission' } },
    );
    await project();
    expect((await escalationsTo(fixture.store.db, 'D1', 'open')).map((e) => e.unitId)).toEqual(['C1']);
    expect(await escalationsTo(fixture.store.db, 'P', 'open')).toEqual([]);
    expect((await overdueSubordinates(fixture.store.db, 'D1', now)).map((o) => o.unitId)).toEqual(['C1']);
    const c2 = (await rows(fixture)).filter((r) => r.unit_id === 'C2');
    expect(c2.map((r) => [Number(r.step), r.resolved_by])).toEqual([
      [1, 'submission'],
      [2, 'submission'],
    ]);
  });

  it('writes a batch of escalations fired at once in chunked upserts, and rebuilds into identical rows', async () => {
    const units = Array.from({ length: 1500 }, (_, i) => `B${i}`);
    await h.open(H1, units);
    await h.store.appendToStreams(
      units.map((unitId) => ({
        streamId: `report-d1_${unitId}_${H1}`,
        events: [
          {
            id: `esc-${unitId}`,
            type: 'EscalationRaised',
            data: { toUnitId: 'C1', step: 1 },
            metadata: {
              eventId: `esc-${unitId}`,
              actor: { userId: 'system:escalation' },
              occurredAt: '2026-06-23T01:00:00.000Z',
              correlationId: 'c',
              causationId: 'c',
              schemaVersion: 1,
            },
          },
        ],
      })),
    );
    await project();
    expect(await escalationsTo(fixture.store.db, 'C1', 'open', 5000)).toHaveLength(1500);
    const live = await rows(fixture);
    await projector.rebuild(escalationsProjection, h.store, undefined, 700);
    expect(await rows(fixture)).toEqual(live);
  });
});
