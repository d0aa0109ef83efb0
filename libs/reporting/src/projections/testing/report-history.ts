import { InMemoryEventStore, type RecordedEvent } from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';
import type { ReportedValue, TargetDefinition } from '@app/kernel';
import type { Obligation, ReportEvent } from '../../domain/report.events';
import { reportStreamId } from '../../report.streams';

export const TARGETS: readonly TargetDefinition[] = [
  { targetId: 't-rate', code: '(1)', title: 'Rate', shape: 'rate', measuredAtLevel: 'commune', value: 0.9 },
  {
    targetId: 't-share',
    code: '(2)',
    title: 'Share',
    shape: 'share_of_units',
    measuredAtLevel: 'commune',
    value: 0.5,
    threshold: 1,
  },
  { targetId: 't-floor', code: '(3)', title: 'Floor', shape: 'count_with_floor', measuredAtLevel: 'commune', value: 2 },
  { targetId: 't-total', code: '(4)', title: 'Total', shape: 'absolute_total', measuredAtLevel: 'commune', value: 100 },
  { targetId: 't-done', code: '(5)', title: 'Done', shape: 'deliverable', measuredAtLevel: 'commune', value: 1 },
];

export type Values = Readonly<Record<string, ReportedValue>>;

/** A report's values: a rate num/den and, optionally, the others. */
export const values = (
  num: number,
  den: number,
  other: { share?: number; floor?: number; total?: number; done?: boolean } = {},
) => {
  const out: Record<string, ReportedValue> = { 't-rate': { kind: 'ratio', numerator: num, denominator: den } };
  if (other.share !== undefined) out['t-share'] = { kind: 'number', value: other.share };
  if (other.floor !== undefined) out['t-floor'] = { kind: 'number', value: other.floor };
  if (other.total !== undefined) out['t-total'] = { kind: 'number', value: other.total };
  if (other.done !== undefined) out['t-done'] = { kind: 'done', done: other.done };
  return out;
};

/**
 * A tree for the specs: P (province) ─ D1 (C1, C2), D2 (C3), under TW; and report histories
 * appended as the report decider would write them.
 */
export const ANCESTORS: Readonly<Record<string, readonly string[]>> = {
  C1: ['D1', 'P', 'TW'],
  C2: ['D1', 'P', 'TW'],
  C3: ['D2', 'P', 'TW'],
  D1: ['P', 'TW'],
  D2: ['P', 'TW'],
};

export class ReportHistory {
  readonly store = new InMemoryEventStore();
  private minute = 0;

  constructor(readonly directiveId = 'd1') {}

  private at(): string {
    return new Date(Date.UTC(2026, 5, 1, 0, this.minute++)).toISOString();
  }

  obligation(unitId: string, period: string, overrides: Partial<Obligation> = {}): Obligation {
    const ancestors = ANCESTORS[unitId] ?? [];
    return {
      directiveId: this.directiveId,
      unitId,
      period,
      window: { from: '2025-12-15', to: '2026-06-14' },
      due: '2026-06-20T17:00:00+07:00',
      targets: TARGETS,
      approvalRequired: true,
      reviewerUnitId: ancestors[0] ?? 'TW',
      unitLevel: unitId.startsWith('C') ? 'commune' : unitId.startsWith('D') ? 'district' : 'branch',
      ancestorUnitIds: ancestors,
      ...overrides,
    };
  }

  /** Opens obligations in one batched append, as the period-opening saga does. */
  async open(period: string, units: readonly string[], overrides: Partial<Obligation> = {}): Promise<void> {
    const occurredAt = this.at();
    await this.store.appendToStreams(
      units.map((unitId) => ({
        streamId: reportStreamId(this.directiveId, unitId, period),
        events: [newEvent('ReportingObligationOpened', this.obligation(unitId, period, overrides), { occurredAt })],
      })),
    );
  }

  async append(unitId: string, period: string, ...events: ReportEvent[]): Promise<number> {
    const occurredAt = this.at();
    const result = await this.store.appendToStream(
      reportStreamId(this.directiveId, unitId, period),
      events.map((e) => newEvent(e.type, e.data, { occurredAt })),
    );
    return result.position;
  }

  submit(unitId: string, period: string, version: number, v: Values, onTime = true) {
    return this.append(unitId, period, {
      type: 'ReportSubmitted',
      data: {
        version,
        values: v,
        narrative: { results: '', difficulties: '', proposals: '' },
        submittedAt: '2026-06-15T03:00:00.000Z',
        onTime,
      },
    });
  }

  returnReport(unitId: string, period: string, version: number) {
    return this.append(unitId, period, { type: 'ReportReturned', data: { version, reason: 'Bổ sung số liệu' } });
  }

  approve(unitId: string, period: string, version: number) {
    return this.append(unitId, period, { type: 'ReportApproved', data: { version } });
  }

  correct(unitId: string, period: string, version: number, v: Values) {
    return this.append(unitId, period, { type: 'ReportCorrected', data: { version, values: v, reason: 'Rà soát lại' } });
  }

  async all(): Promise<RecordedEvent[]> {
    return this.store.readAll({ maxCount: 1_000_000 });
  }
}
