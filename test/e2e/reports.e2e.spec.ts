import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLaoCaiSampleCsv } from '@app/org';
import { type Call, TestApp } from '../support/test-app';

const LAO_CAI_YAML = readFileSync(join(__dirname, '../../libs/directives/examples/lao-cai-11-CTr-BTV-2022.yaml'), 'utf8');
const REPORT = '/reports/lc-11/LCI-BX-01/2026-H1';
const MINUTE = 60 * 1000;
const fieldsOf = (json: Record<string, { fields?: { field: string }[] }>) =>
  [...new Set((json.error.fields ?? []).map((f) => f.field))].sort();

/** One value for each target a commune reports on: those measured at the commune level or at every level. */
const COMMUNE_VALUES = {
  'lc-1': { kind: 'number', value: 1 },
  'lc-2': { kind: 'number', value: 2 },
  'lc-3': { kind: 'ratio', numerator: 19, denominator: 20 },
  'lc-4': { kind: 'ratio', numerator: 850, denominator: 1000 },
  'lc-4b': { kind: 'number', value: 1 },
  'lc-5': { kind: 'ratio', numerator: 12, denominator: 12 },
  'lc-5b': { kind: 'ratio', numerator: 900, denominator: 1000 },
  'lc-6': { kind: 'number', value: 1 },
  'lc-7': { kind: 'number', value: 1 },
};
const NARRATIVE = { results: 'Đạt các chỉ tiêu', difficulties: '', proposals: 'Tăng kinh phí' };

describe('reports over HTTP', () => {
  let t: TestApp;
  let provinceOfficer: string;
  let communeOfficer: string;
  let districtLeader: string;

  /** The Lào Cai units; programme 11/CTr-BTV drafted by the province, issued to every commune; 2026-H1 opened. */
  beforeEach(async () => {
    t = await TestApp.start();
    const setup = async (call: Call, status: number) => expect((await t.call(call)).status).toBe(status);
    await setup(
      {
        method: 'POST',
        url: '/units/import?validFrom=2026-01-01',
        token: t.token('admin.tw', 'TW', ['admin']),
        body: readLaoCaiSampleCsv(),
        headers: { 'content-type': 'text/csv' },
      },
      201,
    );
    provinceOfficer = t.token('officer.lci', 'LCI', ['officer']);
    communeOfficer = t.token('officer.bx01', 'LCI-BX-01', ['officer']);
    districtLeader = t.token('chair.bx', 'LCI-BX', ['leader']);
    await setup(
      {
        method: 'POST',
        url: '/directives/import',
        token: provinceOfficer,
        body: { directiveId: 'lc-11', format: 'yaml', content: LAO_CAI_YAML },
      },
      201,
    );
    await setup(
      {
        method: 'POST',
        url: '/directives/lc-11/issue',
        token: t.token('chair.lci', 'LCI', ['leader']),
        body: { signedBy: 'Hà Thị Khánh Nguyệt', scope: { level: 'commune', underUnitId: 'LCI' } },
      },
      200,
    );
    await setup(
      {
        method: 'POST',
        url: '/directives/lc-11/assignments/LCI-BX-01/acknowledge',
        token: communeOfficer,
      },
      200,
    );
    const opened = await t.call({
      method: 'POST',
      url: '/directives/lc-11/periods',
      token: provinceOfficer,
      body: { period: '2026-H1', window: { from: '2025-12-15', to: '2026-06-14' }, due: '2026-06-20T23:59:59+07:00' },
    });
    expect(opened.status).toBe(201);
    expect(opened.json).toMatchObject({ streams: 9, events: 9, replayed: false });
  });
  afterEach(async () => t.stop());

  it('submits, returns, resubmits, approves and corrects, and the history names each actor', async () => {
    t.clock.advance(MINUTE);
    const submitted = await t.call({
      method: 'POST',
      url: `${REPORT}/submit`,
      token: communeOfficer,
      body: { values: COMMUNE_VALUES, narrative: NARRATIVE },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.json).toMatchObject({
      streamId: 'report-lc-11_LCI-BX-01_2026-H1',
      revision: 1,
      events: [{ type: 'ReportSubmitted' }],
    });
    expect(submitted.headers.etag).toBe('"1"');

    t.clock.advance(MINUTE);
    const returned = await t.call({
      method: 'POST',
      url: `${REPORT}/return`,
      token: districtLeader,
      headers: { 'if-match': '"1"' },
      body: { reason: 'Bổ sung số liệu chỉ tiêu (4)', version: 1 },
    });
    expect(returned.status).toBe(200);
    expect(returned.headers.etag).toBe('"2"');

    t.clock.advance(MINUTE);
    const resubmitted = await t.call({
      method: 'POST',
      url: `${REPORT}/submit`,
      token: communeOfficer,
      headers: { 'if-match': '"2"' },
      body: { values: { ...COMMUNE_VALUES, 'lc-4': { kind: 'ratio', numerator: 870, denominator: 1000 } }, narrative: NARRATIVE },
    });
    expect(resubmitted.status).toBe(200);

    t.clock.advance(MINUTE);
    const approved = await t.call({ method: 'POST', url: `${REPORT}/approve`, token: districtLeader, body: { version: 2 } });
    expect(approved.status).toBe(200);
    expect(approved.headers.etag).toBe('"4"');

    t.clock.advance(MINUTE);
    const corrected = await t.call({
      method: 'POST',
      url: `${REPORT}/correct`,
      token: communeOfficer,
      body: { values: { ...COMMUNE_VALUES, 'lc-7': { kind: 'number', value: 2 } }, reason: 'Bổ sung mô hình thứ hai' },
    });
    expect(corrected.status).toBe(200);
    expect(corrected.json.events).toEqual([expect.objectContaining({ type: 'ReportCorrected' })]);
    expect(corrected.headers.etag).toBe('"5"');

    // The district's leader reads the commune's report history: who did what, and when.
    const history = await t.call({ method: 'GET', url: '/streams/report-lc-11_LCI-BX-01_2026-H1', token: districtLeader });
    expect(history.status).toBe(200);
    expect(history.headers.etag).toBe('"5"');
    expect(history.json).toMatchObject({ streamId: 'report-lc-11_LCI-BX-01_2026-H1', revision: 5 });
    type Recorded = { revision: number; type: string; metadata: { actor: { userId: string }; occurredAt: string } };
    expect(
      history.json.events.map((e: Recorded) => [e.revision, e.type, e.metadata.actor.userId, e.metadata.occurredAt]),
    ).toEqual([
      [0, 'ReportingObligationOpened', 'system:period-opener', '2026-01-05T02:00:00.000Z'],
      [1, 'ReportSubmitted', 'officer.bx01', '2026-01-05T02:01:00.000Z'],
      [2, 'ReportReturned', 'chair.bx', '2026-01-05T02:02:00.000Z'],
      [3, 'ReportSubmitted', 'officer.bx01', '2026-01-05T02:03:00.000Z'],
      [4, 'ReportApproved', 'chair.bx', '2026-01-05T02:04:00.000Z'],
      [5, 'ReportCorrected', 'officer.bx01', '2026-01-05T02:05:00.000Z'],
    ]);
    const [opened, first] = history.json.events;
    expect(opened.data).toMatchObject({ unitId: 'LCI-BX-01', reviewerUnitId: 'LCI-BX', approvalRequired: true });
    expect(opened.data.targets.map((target: { targetId: string }) => target.targetId).sort()).toEqual(
      Object.keys(COMMUNE_VALUES).sort(),
    );
    expect(first.data).toMatchObject({ version: 1, onTime: true, values: COMMUNE_VALUES, narrative: NARRATIVE });
    expect(first.position).toBeGreaterThan(opened.position);
    expect(new Date(first.recordedAt).toISOString()).toBe(first.recordedAt);

    const page = await t.call({
      method: 'GET',
      url: '/streams/report-lc-11_LCI-BX-01_2026-H1?fromRevision=4&maxCount=1',
      token: communeOfficer,
    });
    expect(page.status).toBe(200);
    expect(page.headers.etag).toBe('"5"');
    expect(page.json.events.map((e: Recorded) => e.type)).toEqual(['ReportApproved']);

    // The reviewer waives another commune's obligation, which nobody submitted.
    const waived = await t.call({
      method: 'POST',
      url: '/reports/lc-11/LCI-BX-02/2026-H1/waive',
      token: districtLeader,
      body: { reason: 'Sáp nhập' },
    });
    expect(waived.status).toBe(200);
    expect(waived.json.events).toEqual([expect.objectContaining({ type: 'ObligationWaived' })]);
  });

  it('refuses the wrong unit, the wrong reviewer, unknown obligations and bad bodies, writing nothing', async () => {
    const submit = { values: COMMUNE_VALUES, narrative: NARRATIVE };
    expect((await t.call({ method: 'POST', url: `${REPORT}/submit`, token: communeOfficer, body: submit })).status).toBe(200);
    const head = await t.store.headPosition();
    const refused = async (call: Call, status: number, code: string) => {
      const response = await t.call(call);
      expect({ url: call.url, status: response.status, code: response.json?.error?.code }).toEqual({
        url: call.url,
        status,
        code,
      });
      expect(await t.store.headPosition()).toBe(head);
      return response;
    };

    // The wrong unit, reviewer or role.
    const otherCommune = t.token('officer.bx02', 'LCI-BX-02', ['officer']);
    await refused(
      { method: 'POST', url: `${REPORT}/correct`, token: otherCommune, body: { ...submit, reason: 'x' } },
      403,
      'AUTH.NOT_YOUR_UNIT',
    );
    const otherDistrict = t.token('chair.sp', 'LCI-SP', ['leader']);
    await refused({ method: 'POST', url: `${REPORT}/approve`, token: otherDistrict, body: {} }, 403, 'REPORT.NOT_REVIEWER');
    const districtOfficer = t.token('officer.bx', 'LCI-BX', ['officer']);
    await refused(
      { method: 'POST', url: `${REPORT}/return`, token: districtOfficer, body: { reason: 'x' } },
      403,
      'AUTH.ROLE_REQUIRED',
    );
    await refused({ method: 'POST', url: `${REPORT}/submit`, body: submit }, 401, 'AUTH.MISSING_TOKEN');

    // An unknown directive is an unknown id (404); a known directive with no obligation for this
    // unit and period is an illegal state (409 REPORT.NOT_OPEN).
    await refused(
      { method: 'POST', url: '/reports/nope/LCI-BX-01/2026-H1/submit', token: communeOfficer, body: submit },
      404,
      'DIRECTIVE.NOT_FOUND',
    );
    await refused(
      { method: 'POST', url: `/reports/lc-11/LCI-BX-01/2026-H2/approve`, token: districtLeader, body: {} },
      409,
      'REPORT.NOT_OPEN',
    );

    // Bad bodies and paths, refused by the DTOs.
    const badSubmit = await refused(
      {
        method: 'POST',
        url: `${REPORT}/submit`,
        token: communeOfficer,
        body: { values: [], narrative: { results: 1 }, extra: 1 },
      },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(badSubmit.json)).toEqual([
      'extra',
      'narrative.difficulties',
      'narrative.proposals',
      'narrative.results',
      'values',
    ]);
    const badPath = await refused(
      { method: 'POST', url: '/reports/lc-11/LCI_BX/H1/submit', token: communeOfficer, body: submit },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(badPath.json)).toEqual(['period', 'unitId']);
    const junk = await refused(
      {
        method: 'POST',
        url: `${REPORT}/submit`,
        token: communeOfficer,
        body: { values: { 'lc-1': { kind: 'number', value: 1, note: 'x' } }, narrative: NARRATIVE },
      },
      400,
      'REQUEST.INVALID',
    );
    expect(junk.json.error.fields).toEqual([{ field: 'values', message: 'values.lc-1.note is not a field of a "number" value' }]);
    const tooMany = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`t${i}`, { kind: 'number', value: 1 }]));
    await refused(
      { method: 'POST', url: `${REPORT}/submit`, token: communeOfficer, body: { values: tooMany, narrative: NARRATIVE } },
      400,
      'REQUEST.INVALID',
    );
    const badKind = await refused(
      {
        method: 'POST',
        url: `${REPORT}/correct`,
        token: communeOfficer,
        body: { values: { 'lc-1': { kind: 'percent' } }, narrative: null, reason: '' },
      },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(badKind.json)).toEqual(['narrative', 'reason', 'values']);
    const badReview = await refused(
      { method: 'POST', url: `${REPORT}/return`, token: districtLeader, body: { version: 1.5 } },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(badReview.json)).toEqual(['reason', 'version']);
    await refused(
      { method: 'POST', url: `${REPORT}/approve`, token: districtLeader, body: { version: null } },
      400,
      'REQUEST.INVALID',
    );

    // What the DTOs leave to the report decider: each value against its target, every target present.
    const resubmit = await t.call({
      method: 'POST',
      url: '/reports/lc-11/LCI-BX-02/2026-H1/submit',
      token: otherCommune,
      body: {
        values: {
          ...COMMUNE_VALUES,
          'lc-2': { kind: 'ratio', numerator: 1, denominator: 2 },
          'lc-4': { kind: 'ratio', numerator: 1200, denominator: 1000 },
          'lc-5': { kind: 'ratio', numerator: '12', denominator: 0 },
          'lc-7': undefined,
          'lc-8': { kind: 'number', value: 1 },
          'lc-6': { kind: 'number', value: -1 },
        },
        narrative: NARRATIVE,
      },
    });
    expect(resubmit.status).toBe(400);
    expect(resubmit.json.error.code).toBe('REPORT.INVALID');
    expect(fieldsOf(resubmit.json)).toEqual([
      'values.lc-2',
      'values.lc-4.numerator',
      'values.lc-5.denominator',
      'values.lc-5.numerator',
      'values.lc-6.value',
      'values.lc-7',
      'values.lc-8',
    ]);
    expect(await t.store.headPosition()).toBe(head);
    await refused(
      { method: 'POST', url: `${REPORT}/return`, token: districtLeader, body: { reason: '   ' } },
      400,
      'REPORT.REASON_REQUIRED',
    );
    await refused(
      { method: 'POST', url: `${REPORT}/approve`, token: districtLeader, body: { version: 7 } },
      409,
      'REPORT.VERSION_MISMATCH',
    );
    await refused(
      { method: 'POST', url: `${REPORT}/correct`, token: communeOfficer, body: { ...submit, reason: 'x' } },
      409,
      'REPORT.NOT_APPROVED',
    );
    await refused(
      { method: 'POST', url: `${REPORT}/submit`, token: communeOfficer, body: submit },
      409,
      'REPORT.ALREADY_SUBMITTED',
    );
    await refused(
      { method: 'POST', url: `${REPORT}/approve`, token: districtLeader, body: {}, headers: { 'if-match': '"0"' } },
      412,
      'PRECONDITION_FAILED',
    );

    // Opening a period: a date where an instant is due, and a window that ends before it starts.
    const period = { period: '2026-Q3', window: { from: '2026-09-14', to: '2026-06-15' }, due: '2026-09-20' };
    const badPeriod = await refused(
      { method: 'POST', url: '/directives/lc-11/periods', token: provinceOfficer, body: period },
      400,
      'REPORT.INVALID',
    );
    expect(fieldsOf(badPeriod.json)).toEqual(['due', 'window.to']);
    await refused(
      { method: 'POST', url: '/directives/lc-11/periods', token: districtOfficer, body: period },
      403,
      'AUTH.NOT_YOUR_UNIT',
    );
  });
});

describe('stream history over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await TestApp.start();
    await t.call({
      method: 'POST',
      url: '/units/import?validFrom=2026-01-01',
      token: t.token('admin.tw', 'TW', ['admin']),
      body: readLaoCaiSampleCsv(),
      headers: { 'content-type': 'text/csv' },
    });
    await t.call({
      method: 'POST',
      url: '/directives/import',
      token: t.token('officer.bx', 'LCI-BX', ['officer']),
      body: { directiveId: 'bx-3', format: 'yaml', content: LAO_CAI_YAML },
    });
  });
  afterEach(async () => t.stop());

  const read = (url: string, token?: string) => t.call({ method: 'GET', url, token });

  it('lets a unit read its own subtree, and a directive be read by the units below its issuer', async () => {
    const viewer = t.token('viewer.bx01', 'LCI-BX-01', ['viewer']);
    const own = await read('/streams/unit-LCI-BX-01', viewer);
    expect(own.status).toBe(200);
    expect(own.json.events.map((e: { type: string }) => e.type)).toEqual(['UnitRegistered']);
    expect(own.headers.etag).toBe('"0"');
    expect((await read('/streams/directive-bx-3', viewer)).status).toBe(200);
    expect((await read('/streams/directive-bx-3', t.token('viewer.lci', 'LCI', ['viewer']))).status).toBe(200);
    const overseer = t.token('inspector', 'TW-KT', ['viewer'], ['LCI-BX']);
    expect((await read('/streams/unit-LCI-BX-02', overseer)).status).toBe(200);
  });

  it('refuses other subtrees (403), unknown or empty streams (404) and malformed ids (400)', async () => {
    const head = await t.store.headPosition();
    const sapa = t.token('officer.sp01', 'LCI-SP-01', ['officer']);
    const cases: [string, string | undefined, number, string][] = [
      ['/streams/unit-LCI-BX-01', sapa, 403, 'AUTH.OUTSIDE_SUBTREE'],
      ['/streams/directive-bx-3', sapa, 403, 'AUTH.OUTSIDE_SUBTREE'],
      ['/streams/report-bx-3_LCI-BX-01_2026-H1', sapa, 403, 'AUTH.OUTSIDE_SUBTREE'],
      ['/streams/assignment-bx-3_LCI-BX-01', sapa, 403, 'AUTH.OUTSIDE_SUBTREE'],
      ['/streams/directive-nope', sapa, 404, 'STREAM.NOT_FOUND'],
      ['/streams/report-bx-3_LCI-SP-01_2026-H1', sapa, 404, 'STREAM.NOT_FOUND'],
      ['/streams/Unit-LCI', sapa, 400, 'REQUEST.INVALID'],
      ['/streams/unit-LCI?maxCount=0&fromRevision=-1', sapa, 400, 'REQUEST.INVALID'],
      ['/streams/assignment-bx-3', sapa, 400, 'STREAM.INVALID_ID'],
      ['/streams/saga-x', sapa, 400, 'STREAM.INVALID_ID'],
      ['/streams/unit-LCI', undefined, 401, 'AUTH.MISSING_TOKEN'],
    ];
    for (const [url, token, status, code] of cases) {
      const response = await read(url, token);
      expect({ url, status: response.status, code: response.json?.error?.code }).toEqual({ url, status, code });
    }
    expect(await t.store.headPosition()).toBe(head);
  });
});
