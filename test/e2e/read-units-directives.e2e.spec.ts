import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLaoCaiSampleCsv } from '@app/org';
import { TestApp } from '../support/test-app';

// The read side over HTTP on the Lào Cai hierarchy: the unit tree at two dates after a rename and a
// move, then 11/CTr-BTV issued to the communes, and who has acknowledged or issued their own plan.
// Every query passes the last command's position as minPosition and must answer consistent: true.
const DIRECTIVE = 'lc-11-2022';

describe('Read models over HTTP: the unit tree and directive status', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start(new Date('2026-01-05T02:00:00Z'))));
  afterAll(async () => t.stop());

  const ok = async (call: Parameters<TestApp['call']>[0], status = 200) => {
    const response = await t.call(call);
    if (response.status !== status) throw new Error(`${call.method} ${call.url} → ${response.status}: ${response.text}`);
    return response;
  };
  const admin = () => t.token('admin', 'TW', ['admin']);
  const officer = (unit: string) => t.token(`officer.${unit}`, unit, ['officer']);
  const leader = (unit: string) => t.token(`chair.${unit}`, unit, ['leader']);
  const get = async (url: string, token: string) => {
    const response = await ok({ method: 'GET', url, token });
    expect(response.json.consistent).toBe(true);
    return response.json;
  };
  const ids = (items: { unitId: string }[]) => items.map((u) => u.unitId);
  let unitsAt = 0;
  let last = 0;

  it('answers the unit tree valid at a date, after a rename and a move with different dates', async () => {
    await ok(
      {
        method: 'POST',
        url: '/units/import?validFrom=2026-01-01',
        token: admin(),
        body: readLaoCaiSampleCsv(),
        headers: { 'content-type': 'text/csv' },
      },
      201,
    );
    await ok({
      method: 'POST',
      url: '/units/LCI-BX-01/rename',
      token: admin(),
      body: { name: 'Xã Bản Qua mới', validFrom: '2026-03-01' },
    });
    const moved = await ok({
      method: 'POST',
      url: '/units/LCI-BX-03/move',
      token: admin(),
      body: { toParentId: 'LCI-SP', validFrom: '2026-07-01' },
    });
    unitsAt = moved.json.position;

    const march = await get(`/units/LCI-BX-03?at=2026-03-15&minPosition=${unitsAt}`, leader('LCI'));
    expect(march).toMatchObject({
      at: '2026-03-15',
      unitId: 'LCI-BX-03',
      name: 'Xã Mường Hum',
      level: 'commune',
      parentId: 'LCI-BX',
      path: '/TW/LCI/LCI-BX/LCI-BX-03/',
      depth: 3,
      validFrom: '2026-01-01',
      validTo: '2026-07-01',
    });
    expect(march.ancestors).toEqual([
      { unitId: 'TW', code: 'TW', name: 'Hội LHPN Việt Nam', level: 'central', status: 'active' },
      { unitId: 'LCI', code: 'LCI', name: 'Lào Cai', level: 'province', status: 'active' },
      { unitId: 'LCI-BX', code: 'LCI-BX', name: 'Bát Xát', level: 'district', status: 'active' },
    ]);
    const august = await get(`/units/LCI-BX-03?at=2026-08-01&minPosition=${unitsAt}`, leader('LCI'));
    expect(august).toMatchObject({
      parentId: 'LCI-SP',
      path: '/TW/LCI/LCI-SP/LCI-BX-03/',
      validFrom: '2026-07-01',
      validTo: null,
    });
    expect(ids(august.ancestors)).toEqual(['TW', 'LCI', 'LCI-SP']);

    const bx = async (at: string) =>
      (await get(`/units/LCI-BX/children?at=${at}&minPosition=${unitsAt}`, leader('LCI-BX'))).items.map(
        (u: { unitId: string; name: string }) => [u.unitId, u.name],
      );
    expect(await bx('2026-02-01')).toEqual([
      ['LCI-BX-01', 'Xã Bản Qua'],
      ['LCI-BX-02', 'Xã Quang Kim'],
      ['LCI-BX-03', 'Xã Mường Hum'],
    ]);
    expect(await bx('2026-08-01')).toEqual([
      ['LCI-BX-01', 'Xã Bản Qua mới'],
      ['LCI-BX-02', 'Xã Quang Kim'],
    ]);
    const sp = await get(`/units/LCI-SP?at=2026-08-01&minPosition=${unitsAt}`, leader('LCI-SP'));
    expect(sp.children).toMatchObject({ total: 4, page: 1 });
    expect(ids(sp.children.items)).toEqual(['LCI-BX-03', 'LCI-SP-01', 'LCI-SP-02', 'LCI-SP-03']);
    const paged = await get(`/units/LCI-SP/children?at=2026-08-01&page=2&pageSize=3`, leader('LCI-SP'));
    expect(paged).toMatchObject({ unitId: 'LCI-SP', total: 4, page: 2, pageSize: 3 });
    expect(ids(paged.items)).toEqual(['LCI-SP-03']);
    // Without `at`: today (5 January 2026), before either change took effect.
    const today = await get(`/units/LCI-BX-01`, officer('LCI-BX-01'));
    expect(today).toMatchObject({ at: '2026-01-05', name: 'Xã Bản Qua', children: { total: 0, items: [] } });
  });

  it('answers the directive and who has not acknowledged or issued their own plan', async () => {
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
    for (const unit of ['LCI-BX-01', 'LCI-BX-02', 'LCI-SP-01'])
      await ok({ method: 'POST', url: `/directives/${DIRECTIVE}/assignments/${unit}/acknowledge`, token: officer(unit) });
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
        },
      },
      201,
    );
    const plan = await ok({
      method: 'POST',
      url: `/directives/${DIRECTIVE}/assignments/LCI-BX-01/implementing`,
      token: officer('LCI-BX-01'),
      body: { childDirectiveId: 'bx01-kh-05' },
    });
    last = plan.json.position;

    const directive = await get(`/directives/${DIRECTIVE}?minPosition=${last}`, leader('LCI'));
    expect(directive).toMatchObject({
      directiveId: DIRECTIVE,
      number: '11/CTr-BTV',
      kind: 'program',
      issuerUnitId: 'LCI',
      issuingBody: 'Ban Thường vụ',
      place: 'Lào Cai',
      documentDate: '2022-09-15',
      status: 'issued',
      signedBy: 'Chủ tịch Hội LHPN tỉnh Lào Cai',
      scope: { level: 'commune', underUnitId: 'LCI' },
      schedule: { cadence: 'half_yearly' },
      counts: {
        assignees: 9,
        acknowledged: 3,
        notAcknowledged: 6,
        implementing: 1,
        notImplementing: 8,
        completed: 0,
        cancelled: 0,
      },
      childDirectives: { total: 1, items: [{ directiveId: 'bx01-kh-05', issuerUnitId: 'LCI-BX-01', status: 'draft' }] },
    });
    expect(directive.targets).toHaveLength(12);
    expect(directive.tasks).toHaveLength(14);

    const assignees = async (query: string, token = leader('LCI')) =>
      ids((await get(`/directives/${DIRECTIVE}/assignments?minPosition=${last}${query}`, token)).items);
    expect(await assignees('&status=assigned')).toEqual([
      'LCI-BX-03',
      'LCI-SP-02',
      'LCI-SP-03',
      'LCI-TP-01',
      'LCI-TP-02',
      'LCI-TP-03',
    ]);
    expect(await assignees('&notImplemented=true')).toEqual([
      'LCI-BX-02',
      'LCI-BX-03',
      'LCI-SP-01',
      'LCI-SP-02',
      'LCI-SP-03',
      'LCI-TP-01',
      'LCI-TP-02',
      'LCI-TP-03',
    ]);
    expect(await assignees('&status=acknowledged&notImplemented=true')).toEqual(['LCI-BX-02', 'LCI-SP-01']);
    // `under` follows the tree as it stands: LCI-BX-03 hangs under Sa Pa since the move.
    expect(await assignees('&status=assigned&under=LCI-SP')).toEqual(['LCI-BX-03', 'LCI-SP-02', 'LCI-SP-03']);
    expect(await assignees('&under=LCI-BX', leader('LCI-BX'))).toEqual(['LCI-BX-01', 'LCI-BX-02']);

    const page = await get(`/directives/${DIRECTIVE}/assignments?status=assigned&page=2&pageSize=4`, leader('LCI'));
    expect(page).toMatchObject({ directiveId: DIRECTIVE, total: 6, page: 2, pageSize: 4 });
    const bx01 = (await get(`/directives/${DIRECTIVE}/assignments?under=LCI-BX-01`, officer('LCI-BX-01'))).items;
    expect(bx01).toEqual([
      expect.objectContaining({
        unitId: 'LCI-BX-01',
        unitName: 'Xã Bản Qua mới',
        status: 'acknowledged',
        acknowledgedBy: 'officer.LCI-BX-01',
        implementingDirectiveId: 'bx01-kh-05',
      }),
    ]);

    // An assignee reads the issued directive, but only its own subtree's assignments and child directives.
    const seenByCommune = await get(`/directives/${DIRECTIVE}?minPosition=${last}`, officer('LCI-BX-02'));
    expect(seenByCommune).toMatchObject({ counts: null, childDirectives: { total: 0, items: [] }, targets: expect.any(Array) });
    expect(await assignees('', officer('LCI-BX-02'))).toEqual(['LCI-BX-02']);
    const seenByDistrict = await get(`/directives/${DIRECTIVE}`, leader('LCI-BX'));
    expect(seenByDistrict.childDirectives.items.map((d: { directiveId: string }) => d.directiveId)).toEqual(['bx01-kh-05']);
  });

  it('refuses units and directives outside the caller’s subtree with 403', async () => {
    const refused = async (url: string, token: string) => {
      const response = await t.call({ method: 'GET', url, token });
      expect({ url, status: response.status, code: response.json?.error?.code }).toEqual({
        url,
        status: 403,
        code: 'AUTH.OUTSIDE_SUBTREE',
      });
    };
    await refused('/units/LCI-BX', leader('LCI-SP'));
    await refused('/units/LCI-BX/children', leader('LCI-SP'));
    await refused('/units/LCI?at=2026-03-01', officer('LCI-BX-01'));
    await refused(`/directives/${DIRECTIVE}/assignments?under=LCI-BX`, leader('LCI-SP'));
    await refused(`/directives/${DIRECTIVE}/assignments?under=LCI-BX-01`, officer('LCI-BX-02'));
    // A draft is for its issuer's subtree and above only, and a directive for the units below its issuer.
    await refused(`/directives/bx01-kh-05`, officer('LCI-BX-02'));
    await refused(`/directives/${DIRECTIVE}`, t.token('chair.YBI', 'YBI', ['leader']));
  });

  it('answers 404 for what does not exist, and 400 naming each bad query parameter', async () => {
    const status = async (url: string) => {
      const response = await t.call({ method: 'GET', url, token: admin() });
      return [
        response.status,
        response.json?.error?.code,
        (response.json?.error?.fields ?? []).map((f: { field: string }) => f.field),
      ];
    };
    expect(await status('/units/NOPE')).toEqual([404, 'UNIT.NOT_FOUND', []]);
    expect(await status('/units/LCI-BX-01?at=2025-12-31')).toEqual([404, 'UNIT.NOT_FOUND', []]);
    expect(await status('/units/LCI-BX-01/children?at=2025-12-31')).toEqual([404, 'UNIT.NOT_FOUND', []]);
    expect(await status('/directives/nope')).toEqual([404, 'DIRECTIVE.NOT_FOUND', []]);
    expect(await status('/directives/nope/assignments')).toEqual([404, 'DIRECTIVE.NOT_FOUND', []]);

    expect(await status('/units/LCI?at=2026-13-01')).toEqual([400, 'REQUEST.INVALID', ['at']]);
    expect(await status('/units/LCI?at=yesterday&minPosition=-1')).toEqual([400, 'REQUEST.INVALID', ['at', 'minPosition']]);
    expect(await status('/units/LCI?depth=2')).toEqual([400, 'REQUEST.INVALID', ['depth']]);
    expect(await status('/units/LCI/children?pageSize=501&page=0')).toEqual([400, 'REQUEST.INVALID', ['page', 'pageSize']]);
    expect(await status('/units/LCI/children?includeInactive=yes')).toEqual([400, 'REQUEST.INVALID', ['includeInactive']]);
    expect(await status(`/directives/${DIRECTIVE}?minPosition=abc`)).toEqual([400, 'REQUEST.INVALID', ['minPosition']]);
    expect(await status(`/directives/${DIRECTIVE}/assignments?status=done&notImplemented=yes`)).toEqual([
      400,
      'REQUEST.INVALID',
      ['status', 'notImplemented'],
    ]);
    expect(await status(`/directives/${DIRECTIVE}/assignments?under=LCI_BX&pageSize=1000`)).toEqual([
      400,
      'REQUEST.INVALID',
      ['under', 'pageSize'],
    ]);
  });
});
