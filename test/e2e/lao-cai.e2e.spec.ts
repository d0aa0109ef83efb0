import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLaoCaiSampleCsv } from '@app/org';
import { TestApp } from '../support/test-app';

// The Lào Cai action program 11/CTr-BTV end to end over HTTP, on a real SQLite file:
// import the hierarchy, issue to every commune, acknowledge, cascade one implementing plan,
// report, return, resubmit, approve, correct after approval; then read the audit trail.
const DIRECTIVE = 'lc-11-2022';
const PERIOD = '2026-H1';
const DAY = 24 * 3600 * 1000;
const DISTRICT_OF = (commune: string) => commune.slice(0, 6);
const COMMUNES = [
  'LCI-TP-01',
  'LCI-TP-02',
  'LCI-TP-03',
  'LCI-BX-01',
  'LCI-BX-02',
  'LCI-BX-03',
  'LCI-SP-01',
  'LCI-SP-02',
  'LCI-SP-03',
];

const values = (members: number, eligible: number) => ({
  'lc-1': { kind: 'number', value: 1 },
  'lc-2': { kind: 'number', value: 2 },
  'lc-3': { kind: 'ratio', numerator: 19, denominator: 20 },
  'lc-4': { kind: 'ratio', numerator: members, denominator: eligible },
  'lc-4b': { kind: 'number', value: 1 },
  'lc-5': { kind: 'ratio', numerator: 90, denominator: 100 },
  'lc-5b': { kind: 'ratio', numerator: 45, denominator: 50 },
  'lc-6': { kind: 'number', value: 1 },
  'lc-7': { kind: 'number', value: 1 },
});
const narrative = {
  results: 'Đã triển khai chương trình đến các chi hội',
  difficulties: 'Địa bàn rộng',
  proposals: 'Tăng kinh phí hoạt động',
};

describe('Lào Cai action program 11/CTr-BTV, end to end', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start(new Date('2026-01-05T02:00:00Z'))));
  afterAll(async () => t.stop());

  const ok = async (call: Parameters<TestApp['call']>[0], status = 200) => {
    const response = await t.call(call);
    if (response.status !== status) throw new Error(`${call.method} ${call.url} → ${response.status}: ${response.text}`);
    return response;
  };
  const officer = (unit: string) => t.token(`officer.${unit}`, unit, ['officer']);
  const leader = (unit: string) => t.token(`chair.${unit}`, unit, ['leader']);
  const report = (unit: string, action: string) => `/reports/${DIRECTIVE}/${unit}/${PERIOD}/${action}`;

  it('runs the whole cycle and keeps every step, actor and time in the streams', async () => {
    await ok(
      {
        method: 'POST',
        url: '/units/import?validFrom=2026-01-01',
        token: t.token('admin', 'TW', ['admin']),
        body: readLaoCaiSampleCsv(),
        headers: { 'content-type': 'text/csv' },
      },
      201,
    );

    const yaml = readFileSync(join(process.cwd(), 'libs/directives/examples/lao-cai-11-CTr-BTV-2022.yaml'), 'utf8');
    await ok(
      {
        method: 'POST',
        url: '/directives/import',
        token: officer('LCI'),
        body: { directiveId: DIRECTIVE, issuerUnitId: 'LCI', format: 'yaml', content: yaml },
      },
      201,
    );
    const issued = await ok({
      method: 'POST',
      url: `/directives/${DIRECTIVE}/issue`,
      token: leader('LCI'),
      body: { signedBy: 'Chủ tịch Hội LHPN tỉnh Lào Cai', scope: { level: 'commune', underUnitId: 'LCI' } },
    });
    expect(issued.json.assignees).toBe(9);

    t.clock.advance(DAY);
    for (const unit of COMMUNES)
      await ok({ method: 'POST', url: `/directives/${DIRECTIVE}/assignments/${unit}/acknowledge`, token: officer(unit) });

    // One commune cascades: its own plan, based on the province's, inheriting the targets.
    t.clock.advance(DAY);
    await ok(
      {
        method: 'POST',
        url: '/directives',
        token: officer('LCI-BX-01'),
        body: {
          directiveId: 'bx01-kh-05',
          number: '05/KH-HPN',
          kind: 'plan',
          title: 'Kế hoạch thực hiện Chương trình hành động số 11/CTr-BTV',
          issuerUnitId: 'LCI-BX-01',
          issuingBody: 'Ban Chấp hành',
          documentDate: '2026-01-07',
          basisDirectiveId: DIRECTIVE,
          period: { from: '2026-01-01', to: '2026-12-31' },
          inheritBasisTargets: true,
        },
      },
      201,
    );
    await ok({
      method: 'POST',
      url: `/directives/${DIRECTIVE}/assignments/LCI-BX-01/implementing`,
      token: officer('LCI-BX-01'),
      body: { childDirectiveId: 'bx01-kh-05' },
    });

    t.clock.advance(DAY);
    const opened = await ok(
      {
        method: 'POST',
        url: `/directives/${DIRECTIVE}/periods`,
        token: officer('LCI'),
        body: { period: PERIOD, window: { from: '2025-12-15', to: '2026-06-14' }, due: '2026-06-20T17:00:00+07:00' },
      },
      201,
    );
    expect(opened.json.streams).toBe(9);

    t.clock.set(new Date('2026-06-15T03:00:00Z'));
    for (const [i, unit] of COMMUNES.entries())
      await ok({
        method: 'POST',
        url: report(unit, 'submit'),
        token: officer(unit),
        body: { values: values(850 + i, 1000), narrative },
      });

    // Bát Xát's leader returns one report; the commune completes it and resubmits.
    t.clock.advance(DAY);
    await ok({
      method: 'POST',
      url: report('LCI-BX-02', 'return'),
      token: leader('LCI-BX'),
      body: { reason: 'Bổ sung số liệu hội viên mới kết nạp' },
    });
    t.clock.advance(DAY);
    await ok({
      method: 'POST',
      url: report('LCI-BX-02', 'submit'),
      token: officer('LCI-BX-02'),
      body: { values: values(870, 1000), narrative },
    });

    t.clock.advance(DAY);
    for (const unit of COMMUNES)
      await ok({ method: 'POST', url: report(unit, 'approve'), token: leader(DISTRICT_OF(unit)), body: {} });

    // A correction after approval is a new version with its reason; nothing is overwritten.
    t.clock.advance(DAY);
    const corrected = await ok({
      method: 'POST',
      url: report('LCI-TP-01', 'correct'),
      token: officer('LCI-TP-01'),
      body: { values: values(880, 1000), reason: 'Rà soát lại số hội viên' },
    });
    expect(corrected.json.events.map((e: { type: string }) => e.type)).toEqual(['ReportCorrected']);

    const history = await ok({ method: 'GET', url: `/streams/report-${DIRECTIVE}_LCI-BX-02_${PERIOD}`, token: leader('LCI-BX') });
    const steps = history.json.events.map((e: { type: string; metadata: { actor: unknown; occurredAt: string } }) => [
      e.type,
      e.metadata.actor,
      e.metadata.occurredAt,
    ]);
    expect(steps).toEqual([
      // The period opener opens the obligations; the officer who asked for the period is on the directive's stream.
      ['ReportingObligationOpened', { userId: 'system:period-opener' }, '2026-01-08T02:00:00.000Z'],
      ['ReportSubmitted', { userId: 'officer.LCI-BX-02', unitId: 'LCI-BX-02' }, '2026-06-15T03:00:00.000Z'],
      ['ReportReturned', { userId: 'chair.LCI-BX', unitId: 'LCI-BX' }, '2026-06-16T03:00:00.000Z'],
      ['ReportSubmitted', { userId: 'officer.LCI-BX-02', unitId: 'LCI-BX-02' }, '2026-06-17T03:00:00.000Z'],
      ['ReportApproved', { userId: 'chair.LCI-BX', unitId: 'LCI-BX' }, '2026-06-18T03:00:00.000Z'],
    ]);
    expect(history.json.events[2].data.reason).toBe('Bổ sung số liệu hội viên mới kết nạp');
    const directiveStream = await ok({ method: 'GET', url: `/streams/directive-${DIRECTIVE}`, token: leader('LCI-BX') });
    const periodOpened = directiveStream.json.events.find((e: { type: string }) => e.type === 'ReportingPeriodOpened');
    expect(periodOpened.metadata.actor).toEqual({ userId: 'officer.LCI', unitId: 'LCI' });
    expect(periodOpened.data).toMatchObject({ period: PERIOD, openedBy: 'request' });
    expect(history.json.events[0].metadata.causationId).toBe(periodOpened.metadata.eventId);

    const tp01 = await ok({
      method: 'GET',
      url: `/streams/report-${DIRECTIVE}_LCI-TP-01_${PERIOD}`,
      token: officer('LCI-TP-01'),
    });
    const types = tp01.json.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['ReportingObligationOpened', 'ReportSubmitted', 'ReportApproved', 'ReportCorrected']);
    expect(tp01.json.events[1].data.values['lc-4']).toEqual({ kind: 'ratio', numerator: 850, denominator: 1000 });
    expect(tp01.json.events[3].data).toMatchObject({ version: 2, reason: 'Rà soát lại số hội viên' });

    const assignment = await ok({
      method: 'GET',
      url: `/streams/assignment-${DIRECTIVE}_LCI-BX-01`,
      token: officer('LCI-BX-01'),
    });
    expect(assignment.json.events.map((e: { type: string }) => e.type)).toEqual([
      'DirectiveAssigned',
      'AssignmentAcknowledged',
      'ImplementingDirectiveIssued',
    ]);
    // The audit index answers "who reported this figure, when, who approved it, what changed after" in one query.
    const audit = await ok({
      method: 'GET',
      url: `/audit?directiveId=${DIRECTIVE}&unitId=LCI-TP-01&period=${PERIOD}&minPosition=${corrected.json.position}`,
      token: leader('LCI-TP'),
    });
    expect(audit.json.consistent).toBe(true);
    expect(
      audit.json.rows.map((r: { type: string; actor_user: string; summary: string }) => [r.type, r.actor_user, r.summary]),
    ).toEqual([
      ['ReportingObligationOpened', 'system:period-opener', 'ReportingObligationOpened'],
      ['ReportSubmitted', 'officer.LCI-TP-01', 'submitted version 1 with 9 value(s), on time'],
      ['ReportApproved', 'chair.LCI-TP', 'approved version 1'],
      ['ReportCorrected', 'officer.LCI-TP-01', 'corrected to version 2: Rà soát lại số hội viên'],
    ]);
    const csv = await ok({
      method: 'GET',
      url: `/audit?directiveId=${DIRECTIVE}&unitId=LCI-TP-01&format=csv`,
      token: leader('LCI-TP'),
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe(
      'position,occurred_at,type,actor_user,actor_unit,directive_id,unit_id,period,stream_id,event_id,summary',
    );
    expect(csv.text).toContain('"ReportCorrected","officer.LCI-TP-01","LCI-TP-01"');
    const outsider = await t.call({ method: 'GET', url: `/audit?unitId=LCI-TP-01`, token: leader('LCI-SP') });
    expect(outsider.status).toBe(403);

    const child = await ok({ method: 'GET', url: '/streams/directive-bx01-kh-05', token: officer('LCI-BX-01') });
    expect(child.json.events[0].data.basisDirectiveId).toBe(DIRECTIVE);
    expect(child.json.events.filter((e: { type: string }) => e.type === 'TargetAdded').length).toBe(12);
  });
});
