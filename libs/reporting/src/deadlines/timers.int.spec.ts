import { Projector } from '@app/readstore';
import { describeOnReadStores, type ReadStoreFixture } from '../../../readstore/src/testing/read-stores';
import { ReportHistory, values } from '../projections/testing/report-history';
import { obligationTimersProjection, TIMERS_TABLE, timerIdOf } from './obligation-timers.projection';
import { TimerClaims } from './timer-claims';

const H1 = '2026-H1';
const DUE = '2026-06-20T17:00:00+07:00';
const followUps = {
  reminders: [
    { step: 1, daysBefore: 7, at: '2026-06-11T01:00:00.000Z' },
    { step: 2, daysBefore: 1, at: '2026-06-19T01:00:00.000Z' },
  ],
  escalations: [
    { step: 1, toUnitId: 'D1', at: '2026-06-24T01:00:00.000Z' },
    { step: 2, toUnitId: 'P', at: '2026-06-29T01:00:00.000Z' },
  ],
};
const narrative = { results: '', difficulties: '', proposals: '' };
const stream = (unit: string) => `report-d1_${unit}_${H1}`;

describeOnReadStores('Deadline timers', (open) => {
  let fixture: ReadStoreFixture;
  let projector: Projector;
  let h: ReportHistory;

  beforeEach(async () => {
    fixture = await open();
    projector = new Projector(fixture.store, [obligationTimersProjection]);
    await projector.prepare();
    h = new ReportHistory();
  });
  afterEach(async () => fixture.cleanup());

  const rows = async () =>
    (
      await fixture.store.db
        .selectFrom(TIMERS_TABLE)
        .select(['timer_id', 'fire_at', 'armed', 'to_unit_id'])
        .orderBy('timer_id')
        .execute()
    ).map((r) => ({ ...r, fire_at: Number(r.fire_at), armed: Number(r.armed) }));

  /** Projects the whole history in one batch and again event by event: the same rows either way. */
  const project = async () => {
    const all = await h.all();
    await projector.project(obligationTimersProjection, all);
    const together = await rows();
    await projector.rebuild(obligationTimersProjection, h.store);
    expect(await rows()).toEqual(together);
    return together;
  };

  it("derives each obligation's timers from its events: opened, fired, disarmed by a submission, re-armed by a return, gone on approval", async () => {
    await h.open(H1, ['C1', 'C2', 'C3', 'D1'], { followUps });
    await h.append('C1', H1, { type: 'ReminderIssued', data: { step: 1, daysBefore: 7 } });
    await h.append('C2', H1, {
      type: 'ReportSubmitted',
      data: { version: 1, values: values(9, 10), narrative, submittedAt: '2026-06-12T01:00:00.000Z', onTime: true },
    });
    await h.append('C3', H1, { type: 'ReportOverdue', data: { due: DUE } });
    await h.append('C3', H1, { type: 'EscalationRaised', data: { step: 1, toUnitId: 'D1' } });
    await h.append('D1', H1, {
      type: 'ReportSubmitted',
      data: { version: 1, values: values(9, 10), narrative, submittedAt: '2026-06-12T01:00:00.000Z', onTime: true },
    });
    await h.append('D1', H1, { type: 'ReportApproved', data: { version: 1 } });
    const timers = await project();
    expect(timers.map((t) => [t.timer_id, t.armed])).toEqual([
      // C1: the first reminder fired; the rest pending.
      [timerIdOf(stream('C1'), 'escalation', 1), 1],
      [timerIdOf(stream('C1'), 'escalation', 2), 1],
      [timerIdOf(stream('C1'), 'overdue', 0), 1],
      [timerIdOf(stream('C1'), 'reminder', 2), 1],
      // C2: submitted, awaiting review: held.
      [timerIdOf(stream('C2'), 'escalation', 1), 0],
      [timerIdOf(stream('C2'), 'escalation', 2), 0],
      [timerIdOf(stream('C2'), 'overdue', 0), 0],
      [timerIdOf(stream('C2'), 'reminder', 1), 0],
      [timerIdOf(stream('C2'), 'reminder', 2), 0],
      // C3: overdue and escalated once: only the second escalation is left.
      [timerIdOf(stream('C3'), 'escalation', 2), 1],
      // D1: approved, nothing left.
    ]);
    expect(timers.find((t) => t.timer_id === timerIdOf(stream('C1'), 'overdue', 0))?.fire_at).toBe(Date.parse(DUE));
    expect(timers.find((t) => t.timer_id === timerIdOf(stream('C3'), 'escalation', 2))?.to_unit_id).toBe('P');

    // A return arms C2's timers again (in a later batch).
    await h.append('C2', H1, { type: 'ReportReturned', data: { version: 1, reason: 'Bổ sung' } });
    await projector.project(obligationTimersProjection, await h.all());
    expect((await rows()).filter((t) => t.timer_id.startsWith(stream('C2'))).every((t) => t.armed === 1)).toBe(true);
  });

  it('claims due timers in bounded batches, never the same one twice while a lease holds, and in time order', async () => {
    await h.open(H1, ['C1', 'C2', 'C3'], { followUps });
    await projector.project(obligationTimersProjection, await h.all());
    const claims = new TimerClaims(fixture.store);
    const now = Date.parse('2026-06-20T01:00:00.000Z'); // both reminders of each of the three are due
    // Two schedulers at once (two workers): what each takes is disjoint.
    const [a, b] = await Promise.all([
      claims.claimObligationTimers(now, 4, 60_000),
      claims.claimObligationTimers(now, 4, 60_000),
    ]);
    const taken = [...a, ...b].map((r) => r.timer_id);
    expect(taken).toHaveLength(6);
    expect(new Set(taken).size).toBe(6);
    expect(a.map((r) => r.fire_at)).toEqual([...a.map((r) => r.fire_at)].sort((x, y) => x - y));
    expect(a.every((r) => r.kind === 'reminder' && r.attempts === 1)).toBe(true);
    // Held by the lease; free again once it ends, counted as a second attempt.
    expect(await claims.claimObligationTimers(now + 1000, 10, 60_000)).toEqual([]);
    const again = await claims.claimObligationTimers(now + 61_000, 10, 60_000);
    expect(again).toHaveLength(6);
    expect(again.every((r) => r.attempts === 2)).toBe(true);
    expect(await claims.counts(now + 61_000)).toEqual({ pending: 9, due: 6, disarmed: 0 });
    await claims.discardObligationTimers(again.map((r) => r.timer_id));
    expect(await claims.counts(now + 61_000)).toEqual({ pending: 9, due: 0, disarmed: 0 });
  });
});
