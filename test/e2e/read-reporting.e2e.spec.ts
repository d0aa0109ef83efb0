import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLaoCaiSampleCsv } from '@app/org';
import { TestApp } from '../support/test-app';

// Reporting read models over HTTP on the Lào Cai action program 11/CTr-BTV: exact roll-up figures
// at commune, district and province, for a rate (lc-4, a ratio of sums) and a share of units
// (lc-1), counting approved values only or every report that is in.
const DIRECTIVE = 'lc-11-2022';
const PERIOD = '2026-H1';
const DISTRICT_OF = (commune: string) => commune.slice(0, 6);

/** Members gathered / members present (lc-4) and new deeds registered (lc-1; a unit meets it with ≥ 1). */
const REPORTS: Readonly<Record<string, readonly [number, number, number]>> = {
  'LCI-TP-01': [850, 1000, 1],
  'LCI-TP-02': [450, 500, 0],
  'LCI-TP-03': [90, 100, 1],
  'LCI-BX-01': [800, 1000, 1],
  'LCI-BX-02': [10, 100, 0],
  'LCI-BX-03': [300, 400, 2],
  'LCI-SP-01': [700, 1000, 1],
  'LCI-SP-02': [200, 250, 0],
  'LCI-SP-03': [95, 100, 1],
};
const COMMUNES = Object.keys(REPORTS);

const values = (members: number, present: number, deeds: number) => ({
  'lc-1': { kind: 'number', value: deeds },
  'lc-2': { kind: 'number', value: 2 },
  'lc-3': { kind: 'ratio', numerator: 19, denominator: 20 },
  'lc-4': { kind: 'ratio', numerator: members, denominator: present },
  'lc-4b': { kind: 'number', value: 1 },
  'lc-5': { kind: 'ratio', numerator: 90, denominator: 100 },
  'lc-5b': { kind: 'ratio', numerator: 45, denominator: 50 },
  'lc-6': { kind: 'number', value: 1 },
  'lc-7': { kind: 'number', value: 1 },
});
const narrative = { results: 'Đã triển khai', difficulties: 'Địa bàn rộng', proposals: 'Tăng kinh phí' };

describe('Reporting read models over HTTP (Lào Cai 11/CTr-BTV)', () => {
  let t: TestApp;
  let position = 0;
  beforeAll(async () => (t = await TestApp.start(new Date('2026-01-05T02:00:00Z'))));
  afterAll(async () => t.stop());

  const ok = async (call: Parameters<TestApp['call']>[0], status = 200) => {
    const response = await t.call(call);
    if (response.status !== status) throw new Error(`${call.method} ${call.url} → ${response.status}: ${response.text}`);
    if (call.method === 'POST' && typeof response.json?.position === 'number')
      position = Math.max(position, response.json.position);
    return response;
  };
  const officer = (unit: string) => t.token(`officer.${unit}`, unit, ['officer']);
  const leader = (unit: string) => t.token(`chair.${unit}`, unit, ['leader']);
  const report = (unit: string, action: string) => `/reports/${DIRECTIVE}/${unit}/${PERIOD}/${action}`;
  const get = async (url: string, token = officer('LCI')) => {
    const response = await ok({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}minPosition=${position}`, token });
    expect(response.json.consistent).toBe(true);
    return response.json;
  };
  /** lc-4 and lc-1 parts at a node, summed over levels. */
  const figures = async (unitId: string, include: 'approved' | 'submitted') => {
    const status = await get(`/directives/${DIRECTIVE}/status?unitId=${unitId}&period=${PERIOD}&include=${include}`);
    return { lc4: status.targets['lc-4'] ?? null, lc1: status.targets['lc-1'] ?? null, total: status.total };
  };

  it('sets up the hierarchy, the directive and the first half-year', async () => {
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
    await ok({
      method: 'POST',
      url: `/directives/${DIRECTIVE}/issue`,
      token: leader('LCI'),
      body: { signedBy: 'Chủ tịch Hội LHPN tỉnh Lào Cai', scope: { level: 'commune', underUnitId: 'LCI' } },
    });
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

    const status = await get(`/directives/${DIRECTIVE}/status?unitId=LCI&period=${PERIOD}`);
    expect(status.levels).toEqual([expect.objectContaining({ level: 'commune', expected: 9, submitted: 0, completeness: 0 })]);
    const pending = await get(`/obligations?directiveId=${DIRECTIVE}&unitId=LCI-BX&officialStatus=in_progress_within_deadline`);
    expect(pending.items.map((o: { unitId: string }) => o.unitId)).toEqual(['LCI-BX-01', 'LCI-BX-02', 'LCI-BX-03']);
  });

  it('counts a returned report in neither figure, and approved values only under include=approved', async () => {
    t.clock.set(new Date('2026-06-15T03:00:00Z'));
    for (const unit of COMMUNES) {
      const [members, present, deeds] = REPORTS[unit];
      await ok({
        method: 'POST',
        url: report(unit, 'submit'),
        token: officer(unit),
        body: { values: values(members, present, deeds), narrative },
      });
    }
    t.clock.advance(24 * 3600 * 1000);
    await ok({
      method: 'POST',
      url: report('LCI-BX-02', 'return'),
      token: leader('LCI-BX'),
      body: { reason: 'Bổ sung số liệu hội viên' },
    });
    for (const unit of COMMUNES.filter((u) => u !== 'LCI-BX-02'))
      await ok({ method: 'POST', url: report(unit, 'approve'), token: leader(DISTRICT_OF(unit)), body: {} });

    for (const include of ['approved', 'submitted'] as const) {
      // Commune: the returned one counts nothing; an approved one its own values.
      expect(await figures('LCI-BX-02', include)).toMatchObject({
        lc4: null,
        lc1: null,
        total: { expected: 1, submitted: 0, approved: 0 },
      });
      expect(await figures('LCI-BX-01', include)).toMatchObject({
        lc4: { n: 1, num: 800, den: 1000 },
        lc1: { n: 1, meet: 1 },
        total: { expected: 1, submitted: 1, approved: 1 },
      });
      // District: 800/1000 + 300/400 = 1100/1400; both communes registered a deed.
      expect(await figures('LCI-BX', include)).toEqual({
        lc4: { n: 2, num: 1100, den: 1400 },
        lc1: { n: 2, meet: 2 },
        total: expect.objectContaining({ expected: 3, submitted: 2, onTime: 2, late: 0, approved: 2, completeness: 2 / 3 }),
      });
      // Province: a ratio of sums over the 8 reports in, and 6 of those 8 communes meeting lc-1.
      expect(await figures('LCI', include)).toEqual({
        lc4: { n: 8, num: 3485, den: 4350 },
        lc1: { n: 8, meet: 6 },
        total: expect.objectContaining({ expected: 9, submitted: 8, approved: 8 }),
      });
    }
    const returned = await get(`/obligations?directiveId=${DIRECTIVE}&unitId=LCI&status=returned`);
    expect(returned.items).toEqual([
      expect.objectContaining({ unitId: 'LCI-BX-02', returnedReason: 'Bổ sung số liệu hội viên' }),
    ]);
  });

  it('counts a resubmission among the submitted values at once, and among the approved ones once approved', async () => {
    t.clock.set(new Date('2026-06-21T03:00:00Z'));
    await ok({
      method: 'POST',
      url: report('LCI-BX-02', 'submit'),
      token: officer('LCI-BX-02'),
      body: { values: values(60, 100, 1), narrative },
    });

    expect(await figures('LCI-BX', 'submitted')).toEqual({
      lc4: { n: 3, num: 1160, den: 1500 },
      lc1: { n: 3, meet: 3 },
      total: expect.objectContaining({ expected: 3, submitted: 3, onTime: 2, late: 1, approved: 2, completeness: 1 }),
    });
    expect(await figures('LCI-BX', 'approved')).toMatchObject({ lc4: { n: 2, num: 1100, den: 1400 }, lc1: { n: 2, meet: 2 } });
    expect(await figures('LCI', 'submitted')).toMatchObject({ lc4: { n: 9, num: 3545, den: 4450 }, lc1: { n: 9, meet: 7 } });
    expect(await figures('LCI', 'approved')).toMatchObject({ lc4: { n: 8, num: 3485, den: 4350 }, lc1: { n: 8, meet: 6 } });
    const late = await get(`/obligations?directiveId=${DIRECTIVE}&unitId=LCI&officialStatus=completed_late`);
    expect(late).toMatchObject({ total: 1, items: [{ unitId: 'LCI-BX-02', status: 'submitted', onTime: false, version: 2 }] });

    await ok({ method: 'POST', url: report('LCI-BX-02', 'approve'), token: leader('LCI-BX'), body: {} });
    expect(await figures('LCI', 'approved')).toMatchObject({
      lc4: { n: 9, num: 3545, den: 4450 },
      lc1: { n: 9, meet: 7 },
      total: { expected: 9, submitted: 9, approved: 9, onTime: 8, late: 1 },
    });
  });

  it('gives achievement against the target in force, drill-down to children, the dashboard and escalations', async () => {
    const achievement = await get(`/directives/${DIRECTIVE}/achievement?unitId=LCI&period=${PERIOD}&at=2026-06-18T00:00:00Z`);
    const byId = Object.fromEntries(achievement.targets.map((x: { targetId: string }) => [x.targetId, x]));
    // lc-4: 90% is in force from 2026 (milestone); 3545/4450 ≈ 79.7%, not the average of the communes' rates.
    expect(byId['lc-4']).toMatchObject({ shape: 'rate', goal: 0.9, figure: 3545 / 4450, label: 'at-risk' });
    expect(byId['lc-1']).toMatchObject({ shape: 'share_of_units', goal: 1, figure: 7 / 9, label: 'at-risk' });
    expect(byId['lc-4b']).toMatchObject({ goal: 0.95, figure: 1, label: 'on-track' });
    const after = await get(`/directives/${DIRECTIVE}/achievement?unitId=LCI&period=${PERIOD}&at=2026-07-01T00:00:00Z`);
    const labels = Object.fromEntries(after.targets.map((x: { targetId: string; label: string }) => [x.targetId, x.label]));
    expect(labels).toMatchObject({ 'lc-4': 'missed', 'lc-1': 'missed', 'lc-4b': 'achieved' });

    const drill = await get(`/directives/${DIRECTIVE}/status?unitId=LCI&period=${PERIOD}&children=true`);
    expect(
      drill.children.map((c: { unitId: string; total: { expected: number }; targets: Record<string, unknown> }) => [
        c.unitId,
        c.total.expected,
        c.targets['lc-4'],
      ]),
    ).toEqual([
      ['LCI-BX', 3, { n: 3, num: 1160, den: 1500 }],
      ['LCI-SP', 3, { n: 3, num: 995, den: 1350 }],
      ['LCI-TP', 3, { n: 3, num: 1390, den: 1600 }],
    ]);

    const dashboard = await get('/units/LCI-BX/dashboard', leader('LCI-BX'));
    expect(dashboard.assigned).toEqual([]);
    expect(dashboard.subtree).toEqual([
      expect.objectContaining({
        directiveId: DIRECTIVE,
        period: PERIOD,
        expected: 3,
        submitted: 3,
        approved: 3,
        completeness: 1,
      }),
    ]);
    const commune = await get('/units/LCI-BX-02/dashboard', officer('LCI-BX-02'));
    expect(commune.assigned).toEqual([
      expect.objectContaining({
        directiveId: DIRECTIVE,
        status: 'approved',
        officialStatus: 'completed_late',
        approvedVersion: 2,
      }),
    ]);
    const escalations = await get('/escalations', leader('LCI-BX'));
    expect(escalations).toMatchObject({ toUnitId: 'LCI-BX', escalations: [], overdueSubordinates: [] });
  });

  it('refuses a caller outside the subtree (403) and bad parameters (400)', async () => {
    const outsider = leader('LCI-SP');
    for (const url of [
      `/directives/${DIRECTIVE}/status?unitId=LCI-BX&period=${PERIOD}`,
      `/directives/${DIRECTIVE}/status?period=${PERIOD}&unitId=LCI`,
      `/directives/${DIRECTIVE}/achievement?unitId=LCI-BX-01&period=${PERIOD}`,
      `/obligations?unitId=LCI-BX`,
      '/units/LCI-BX/dashboard',
      '/escalations?toUnitId=LCI-TP',
    ]) {
      const response = await t.call({ method: 'GET', url, token: outsider });
      expect([url, response.status, response.json.error.code]).toEqual([url, 403, 'AUTH.OUTSIDE_SUBTREE']);
    }
    const bad: [string, string][] = [
      [`/directives/${DIRECTIVE}/status?unitId=LCI`, 'period'],
      [`/directives/${DIRECTIVE}/status?period=2026-H3`, 'period'],
      [`/directives/${DIRECTIVE}/status?period=${PERIOD}&include=everything`, 'include'],
      [`/directives/${DIRECTIVE}/status?period=${PERIOD}&children=yes`, 'children'],
      [`/directives/${DIRECTIVE}/status?period=${PERIOD}&unitId=no_such_unit`, 'unitId'],
      [`/directives/bad_id/status?period=${PERIOD}`, 'directiveId'],
      [`/directives/${DIRECTIVE}/achievement?period=${PERIOD}&at=tomorrow`, 'at'],
      [`/directives/${DIRECTIVE}/status?period=${PERIOD}&minPosition=-1`, 'minPosition'],
      ['/obligations?page=0', 'page'],
      ['/obligations?pageSize=501', 'pageSize'],
      ['/obligations?status=late', 'status'],
      ['/obligations?officialStatus=done', 'officialStatus'],
      ['/obligations?surprise=1', 'surprise'],
      ['/escalations?state=closed', 'state'],
    ];
    for (const [url, field] of bad) {
      const response = await t.call({ method: 'GET', url, token: officer('LCI') });
      expect([url, response.status]).toEqual([url, 400]);
      expect(response.json.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
  });
});
