import { approvedVersionOf, foldReport, latestVersion } from './report-history';
import { parseRoute, paths } from './routes';
import type { StreamEvent } from './types';

let revision = 0;
const event = (type: string, data: Record<string, unknown>, userId = 'officer'): StreamEvent => ({
  position: revision + 1,
  revision: revision++,
  type,
  data,
  metadata: { actor: { userId, unitId: 'LCI-BX-01' }, occurredAt: `2026-03-02T0${revision}:00:00Z` },
  recordedAt: '',
});

describe('a report folded from its stream for display', () => {
  it('keeps every version, the return reason until a resubmission, and the approved version', () => {
    const values = (n: number) => ({ t: { kind: 'number', value: n } });
    const narrative = { results: 'r', difficulties: '', proposals: '' };
    const stream = [
      event('ReportingObligationOpened', { directiveId: 'd', unitId: 'u', period: '2026-H1', targets: [] }, 'system:opener'),
      event('ReportSubmitted', { version: 1, values: values(1), narrative, onTime: true }),
      event('ReportReturned', { version: 1, reason: 'bổ sung' }, 'leader'),
    ];
    expect(foldReport(stream)).toMatchObject({ status: 'returned', version: 1, returnedReason: 'bổ sung' });
    const approved = foldReport([
      ...stream,
      event('ReportSubmitted', { version: 2, values: values(2), narrative, onTime: true }),
      event('ReportApproved', { version: 2 }, 'leader'),
      event('ReportCorrected', { version: 3, values: values(3), reason: 'sai số' }),
    ]);
    expect(approved).toMatchObject({ status: 'submitted', version: 3, returnedReason: null, approvedVersion: 2 });
    expect(approved.versions.map((v) => [v.version, v.kind])).toEqual([
      [1, 'submitted'],
      [2, 'submitted'],
      [3, 'corrected'],
    ]);
    expect(latestVersion(approved)?.narrative).toEqual(narrative);
    expect(approvedVersionOf(approved)?.values).toEqual(values(2));
  });

  it('counts escalations open until they are resolved; a saga acts without a unit', () => {
    const r = foldReport([
      event('ReportingObligationOpened', { targets: [] }),
      {
        ...event('EscalationRaised', { toUnitId: 'LCI-BX', step: 0 }),
        metadata: { actor: { userId: 'system:deadlines' }, occurredAt: '' },
      },
      event('ReportOverdue', { due: '' }),
    ]);
    expect(r).toMatchObject({ overdue: true, openEscalations: 1 });
  });
});

describe('the app addresses', () => {
  it('read back what they write, ids with odd characters included', () => {
    expect(parseRoute(`#${paths.report('lc-11', 'LCI-BX-01', '2026-H1')}`)).toEqual({
      name: 'report',
      directiveId: 'lc-11',
      unitId: 'LCI-BX-01',
      period: '2026-H1',
    });
    expect(parseRoute(`#${paths.node('a/b', '2026', 'x y')}`)).toEqual({
      name: 'node',
      directiveId: 'a/b',
      period: '2026',
      unitId: 'x y',
    });
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/report/%E0%A4%A')).toEqual({ name: 'unknown' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'unknown' });
  });
});
