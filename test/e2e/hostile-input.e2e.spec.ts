import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Role, signToken } from '@app/auth';
import { readLaoCaiSampleCsv } from '@app/org';
import { MAX_BODY_BYTES, MAX_CSV_BYTES } from '../../apps/api/src/http-app';
import { type Call, TEST_SECRET, TestApp } from '../support/test-app';

// Every route of docs/api.md, tried with bad input against one fixture state (the Lào Cai flow:
// hierarchy imported, 11/CTr-BTV issued to the communes, period 2026-H1 open, LCI-BX-01 submitted).
// Each attempt must answer the exact status with a stable code and a message a person can act on,
// and must write nothing: the global head position is the same before and after.

const DIRECTIVE = 'lc-11-2022';
const PERIOD = '2026-H1';
const DRAFT = 'hx-draft';
const VF = '2026-02-01';
const REPORT_STREAM = `report-${DIRECTIVE}_LCI-BX-01_${PERIOD}`;
const JSON_TYPE = { 'content-type': 'application/json' };
const VALUES = {
  'lc-1': { kind: 'number', value: 1 },
  'lc-2': { kind: 'number', value: 2 },
  'lc-3': { kind: 'ratio', numerator: 19, denominator: 20 },
  'lc-4': { kind: 'ratio', numerator: 850, denominator: 1000 },
  'lc-4b': { kind: 'number', value: 1 },
  'lc-5': { kind: 'ratio', numerator: 90, denominator: 100 },
  'lc-5b': { kind: 'ratio', numerator: 45, denominator: 50 },
  'lc-6': { kind: 'number', value: 1 },
  'lc-7': { kind: 'number', value: 1 },
};
const NARRATIVE = { results: 'Đã triển khai', difficulties: 'Địa bàn rộng', proposals: 'Tăng kinh phí' };
const TARGET = {
  targetId: 'hx-t1',
  code: '(hx)',
  title: 'Chỉ tiêu thử',
  shape: 'absolute_total',
  measuredAtLevel: 'commune',
  value: 5,
  milestones: [{ from: '2026-06-30', value: 2 }],
};

const ACTORS = {
  twAdmin: ['admin.tw', 'TW', ['admin']],
  bxAdmin: ['admin.bx', 'LCI-BX', ['admin']],
  lciOfficer: ['officer.LCI', 'LCI', ['officer']],
  lciLeader: ['chair.LCI', 'LCI', ['leader']],
  bxLeader: ['chair.LCI-BX', 'LCI-BX', ['leader']],
  bxOfficer: ['officer.LCI-BX', 'LCI-BX', ['officer']],
  spLeader: ['chair.LCI-SP', 'LCI-SP', ['leader']],
  bx01Officer: ['officer.LCI-BX-01', 'LCI-BX-01', ['officer']],
  bx02Officer: ['officer.LCI-BX-02', 'LCI-BX-02', ['officer']],
  bx02Viewer: ['viewer.LCI-BX-02', 'LCI-BX-02', ['viewer']],
} as const satisfies Record<string, readonly [string, string, readonly Role[]]>;
type Actor = keyof typeof ACTORS;

type Body = Record<string, unknown>;
/**
 * One route of docs/api.md, with the caller entitled to it and a body its DTO accepts: every case
 * below changes one thing, so a case that wrongly passed would write, and the head check would see it.
 */
type Route = {
  name: string;
  method: 'GET' | 'POST';
  /** With {param} placeholders, filled from `params`. */
  path: string;
  params: Record<string, string>;
  as: Actor;
  /** undefined: the route reads no body. */
  body?: Body;
  /** What `{}` must be refused for. */
  required?: string[];
  /** Where a nested unknown field goes: the path of an object inside the body, and the field the API must name. */
  nested?: { at: (string | number)[]; field: string };
};

const ROUTES: Route[] = [
  {
    name: 'POST /units',
    method: 'POST',
    path: '/units',
    params: {},
    as: 'twAdmin',
    body: { code: 'HX-1', name: 'Chi hội thử', level: 'commune', parentId: 'LCI-BX', validFrom: VF },
    required: ['code', 'level', 'name', 'parentId', 'validFrom'],
  },
  {
    name: 'POST /units/{unitId}/rename',
    method: 'POST',
    path: '/units/{unitId}/rename',
    params: { unitId: 'LCI-BX' },
    as: 'twAdmin',
    body: { name: 'Bát Xát mới', validFrom: VF },
    required: ['name', 'validFrom'],
  },
  {
    name: 'POST /units/{unitId}/move',
    method: 'POST',
    path: '/units/{unitId}/move',
    params: { unitId: 'LCI-BX-03' },
    as: 'twAdmin',
    body: { toParentId: 'LCI-SP', validFrom: VF },
    required: ['toParentId', 'validFrom'],
  },
  {
    name: 'POST /units/{unitId}/merge',
    method: 'POST',
    path: '/units/{unitId}/merge',
    params: { unitId: 'LCI-BX-03' },
    as: 'twAdmin',
    body: { intoUnitId: 'LCI-BX-02', validFrom: VF },
    required: ['intoUnitId', 'validFrom'],
  },
  {
    name: 'POST /units/{unitId}/dissolve',
    method: 'POST',
    path: '/units/{unitId}/dissolve',
    params: { unitId: 'LCI-BX-03' },
    as: 'twAdmin',
    body: { reason: 'Sáp nhập', validFrom: VF },
    required: ['reason', 'validFrom'],
  },
  {
    name: 'POST /units/{unitId}/officers',
    method: 'POST',
    path: '/units/{unitId}/officers',
    params: { unitId: 'LCI-BX' },
    as: 'twAdmin',
    body: { userId: 'hx.user', role: 'officer', department: 'Ban Tổ chức', validFrom: VF },
    required: ['role', 'userId', 'validFrom'],
  },
  {
    name: 'POST /units/{unitId}/officers/{userId}/relieve',
    method: 'POST',
    path: '/units/{unitId}/officers/{userId}/relieve',
    params: { unitId: 'LCI-BX', userId: 'hx.officer' },
    as: 'twAdmin',
    body: { validFrom: VF },
    required: ['validFrom'],
  },
  {
    name: 'POST /directives',
    method: 'POST',
    path: '/directives',
    params: {},
    as: 'lciOfficer',
    body: {
      directiveId: 'hx-new',
      number: '99/KH',
      kind: 'plan',
      title: 'Kế hoạch thử',
      issuerUnitId: 'LCI',
      issuingBody: 'Ban Thường vụ',
      documentDate: '2026-01-10',
      basisDirectiveId: null,
      period: { from: '2026-01-01', to: '2026-12-31' },
    },
    required: [
      'basisDirectiveId',
      'directiveId',
      'documentDate',
      'issuerUnitId',
      'issuingBody',
      'kind',
      'number',
      'period',
      'title',
    ],
    nested: { at: ['period'], field: 'period.zzz' },
  },
  {
    name: 'POST /directives/import',
    method: 'POST',
    path: '/directives/import',
    params: {},
    as: 'lciOfficer',
    body: { directiveId: 'hx-imported', issuerUnitId: 'LCI', format: 'yaml', content: 'number: 1' },
    required: ['content', 'directiveId', 'format'],
  },
  {
    name: 'POST /directives/{directiveId}/targets',
    method: 'POST',
    path: '/directives/{directiveId}/targets',
    params: { directiveId: DRAFT },
    as: 'lciOfficer',
    body: TARGET,
    required: ['code', 'measuredAtLevel', 'shape', 'targetId', 'title', 'value'],
    nested: { at: ['milestones', 0], field: 'milestones[0].zzz' },
  },
  {
    name: 'POST /directives/{directiveId}/tasks',
    method: 'POST',
    path: '/directives/{directiveId}/tasks',
    params: { directiveId: DRAFT },
    as: 'lciOfficer',
    body: { taskId: 'hx-task', title: 'Nhiệm vụ thử', leadUnitId: 'LCI-BX', coordinating: ['Ban Tổ chức'], due: '2026-06-30' },
    required: ['taskId', 'title'],
  },
  {
    name: 'POST /directives/{directiveId}/schedule',
    method: 'POST',
    path: '/directives/{directiveId}/schedule',
    params: { directiveId: DRAFT },
    as: 'lciOfficer',
    body: {
      cadence: 'monthly',
      cutOffDay: 14,
      reminderOffsetsDays: [3, 1],
      escalationSteps: [{ afterWorkingDays: 2, to: 'parent' }],
    },
    required: ['cadence'],
    nested: { at: ['escalationSteps', 0], field: 'escalationSteps[0].zzz' },
  },
  {
    name: 'POST /directives/{directiveId}/issue',
    method: 'POST',
    path: '/directives/{directiveId}/issue',
    params: { directiveId: DRAFT },
    as: 'lciLeader',
    body: { signedBy: 'Chủ tịch', scope: { level: 'commune', underUnitId: 'LCI' } },
    required: ['signedBy'],
    nested: { at: ['scope'], field: 'scope.zzz' },
  },
  {
    name: 'POST /directives/{directiveId}/amend',
    method: 'POST',
    path: '/directives/{directiveId}/amend',
    params: { directiveId: DIRECTIVE },
    as: 'lciLeader',
    body: { changes: { schedule: { cadence: 'quarterly' } }, reason: 'Điều chỉnh' },
    required: ['changes', 'reason'],
    nested: { at: ['changes', 'schedule'], field: 'changes.schedule.zzz' },
  },
  {
    name: 'POST /directives/{directiveId}/close',
    method: 'POST',
    path: '/directives/{directiveId}/close',
    params: { directiveId: DIRECTIVE },
    as: 'lciLeader',
    body: { reason: 'Hoàn thành' },
  },
  {
    name: 'POST /directives/{directiveId}/periods',
    method: 'POST',
    path: '/directives/{directiveId}/periods',
    params: { directiveId: DIRECTIVE },
    as: 'lciOfficer',
    body: { period: '2026-H2', window: { from: '2026-06-15', to: '2026-12-14' }, due: '2026-12-20T17:00:00+07:00' },
    // window and due default to the schedule's for a scheduled key; an R key without them is refused by the service.
    required: ['period'],
    nested: { at: ['window'], field: 'window.zzz' },
  },
  {
    name: 'POST /directives/{directiveId}/assignments/{unitId}/acknowledge',
    method: 'POST',
    path: '/directives/{directiveId}/assignments/{unitId}/acknowledge',
    params: { directiveId: DIRECTIVE, unitId: 'LCI-BX-01' },
    as: 'bx01Officer',
  },
  {
    name: 'POST /directives/{directiveId}/assignments/{unitId}/implementing',
    method: 'POST',
    path: '/directives/{directiveId}/assignments/{unitId}/implementing',
    params: { directiveId: DIRECTIVE, unitId: 'LCI-BX-01' },
    as: 'bx01Officer',
    body: { childDirectiveId: 'hx-child' },
    required: ['childDirectiveId'],
  },
  {
    name: 'POST /directives/{directiveId}/assignments/{unitId}/complete',
    method: 'POST',
    path: '/directives/{directiveId}/assignments/{unitId}/complete',
    params: { directiveId: DIRECTIVE, unitId: 'LCI-BX-01' },
    as: 'bx01Officer',
  },
  {
    name: 'POST /reports/{directiveId}/{unitId}/{period}/submit',
    method: 'POST',
    path: '/reports/{directiveId}/{unitId}/{period}/submit',
    params: { directiveId: DIRECTIVE, unitId: 'LCI-BX-02', period: PERIOD },
    as: 'bx02Officer',
    body: { values: VALUES, narrative: NARRATIVE },
    required: ['narrative', 'values'],
    nested: { at: ['narrative'], field: 'narrative.zzz' },
  },
  {
    name: 'POST /reports/{directiveId}/{unitId}/{period}/correct',
    method: 'POST',
    path: '/reports/{directiveId}/{unitId}/{period}/correct',
    params: { directiveId: DIRECTIVE, unitId: 'LCI-BX-01', period: PERIOD },
    as: 'bx01Officer',
    body: { values: VALUES, narrative: NARRATIVE, reason: 'Rà soát lại' },
    required: ['reason', 'values'],
    nested: { at: ['narrative'], field: 'narrative.zzz' },
  },
  {
    name: 'POST /reports/{directiveId}/{unitId}/{period}/return',
    method: 'POST',
    path: '/reports/{directiveId}/{unitId}/{period}/return',
    params: { directiveId: DIRECTIVE, unitId: 'LCI-BX-01', period: PERIOD },
    as: 'bxLeader',
    body: { reason: 'Bổ sung số liệu', version: 1 },
    required: ['reason'],
  },
  {
    name: 'POST /reports/{directiveId}/{unitId}/{period}/approve',
    method: 'POST',
    path: '/reports/{directiveId}/{unitId}/{period}/approve',
    params: { directiveId: DIRECTIVE, unitId: 'LCI-BX-01', period: PERIOD },
    as: 'bxLeader',
    body: { version: 1 },
  },
  {
    name: 'POST /reports/{directiveId}/{unitId}/{period}/waive',
    method: 'POST',
    path: '/reports/{directiveId}/{unitId}/{period}/waive',
    params: { directiveId: DIRECTIVE, unitId: 'LCI-BX-02', period: PERIOD },
    as: 'bxLeader',
    body: { reason: 'Thiên tai' },
    required: ['reason'],
  },
  {
    name: 'GET /streams/{streamId}',
    method: 'GET',
    path: '/streams/{streamId}',
    params: { streamId: REPORT_STREAM },
    as: 'bx01Officer',
  },
];
const CSV_IMPORT: Route = {
  name: 'POST /units/import',
  method: 'POST',
  path: '/units/import?validFrom=2026-01-01',
  params: {},
  as: 'twAdmin',
};
const routeNamed = (name: string): Route => {
  const route = ROUTES.find((r) => r.name === name);
  if (!route) throw new Error(`No route ${name}`);
  return route;
};
const ALL_ROUTES = [...ROUTES, CSV_IMPORT];
const COMMANDS = ALL_ROUTES.filter((r) => r.method === 'POST');
const WITH_BODY = ROUTES.filter((r): r is Route & { body: Body } => r.body !== undefined);
const WITH_PARAMS = ROUTES.flatMap((route) => Object.keys(route.params).map((param) => ({ route, param })));

const urlOf = (route: Route, params: Record<string, string> = {}): string =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? route.params[name]);
/** A JSON text with one key put first, written as-is (an object literal would set __proto__, not a key). */
const withRawKey = (body: Body, key: string, json: string): string =>
  `{${JSON.stringify(key)}:${json}${Object.keys(body).length > 0 ? ',' : ''}${JSON.stringify(body).slice(1)}`;
const setAt = (body: Body, at: (string | number)[], key: string, value: unknown): Body => {
  const copy = structuredClone(body);
  let node: Record<string | number, unknown> = copy;
  for (const step of at) node = node[step] as Record<string | number, unknown>;
  node[key] = value;
  return copy;
};
/** The wrong type for a value: a number for a text, a text for a number, an object for a list, a list for an object, true for a date. */
const wrongTypeFor = (value: unknown): unknown => {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}/.test(value) ? true : 42;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return { 0: value[0] };
  return [value];
};
const wrongTypeCases = WITH_BODY.flatMap((route) =>
  Object.entries(route.body)
    .filter(([, value]) => value !== null)
    .map(([field, value]) => ({ route, field, value: wrongTypeFor(value) })),
);
const oversizedTextCases = WITH_BODY.flatMap((route) =>
  Object.entries(route.body)
    // The file of an import may be up to 1 MiB, as long as the body limit: its oversize case is below.
    .filter(([field, value]) => typeof value === 'string' && field !== 'content')
    .map(([field]) => ({ route, field })),
);
const DEEP = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

const KINDS: Record<number, string[]> = {
  400: ['validation'],
  401: ['unauthenticated'],
  403: ['forbidden'],
  404: ['not_found'],
  409: ['conflict', 'illegal_state'],
  412: ['conflict'],
  413: ['http'],
  415: ['http'],
};

type Response = Awaited<ReturnType<TestApp['call']>>;

describe('hostile input over HTTP', () => {
  let t: TestApp;
  /** Every status answered to a hostile request, checked for 5xx at the end. */
  const answered: { name: string; status: number }[] = [];

  const token = (actor: Actor): string => {
    const [userId, unitId, roles] = ACTORS[actor];
    return t.token(userId, unitId, [...roles]);
  };
  const call = (route: Route, over: Partial<Call> & { params?: Record<string, string> } = {}): Call => ({
    method: route.method,
    url: urlOf(route, over.params),
    token: token(route.as),
    body: route.body,
    ...over,
  });
  /** Sends a hostile request and checks it wrote nothing. */
  const hostile = async (name: string, request: Call): Promise<Response> => {
    const before = await t.store.headPosition();
    const response = await t.call(request);
    answered.push({ name, status: response.status });
    expect(await t.store.headPosition()).toBe(before);
    return response;
  };
  /** The status, the stable code, the error shape, and the fields named (each once, each with a message). */
  const expectRefused = (response: Response, status: number, code: string, fields?: string[]) => {
    expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
    const { error } = response.json;
    expect(KINDS[status]).toContain(error.kind);
    expect(error.message).toMatch(/\w{3,}/);
    expect(error.correlationId).toEqual(expect.any(String));
    expect(response.headers['x-correlation-id']).toBe(error.correlationId);
    if (fields === undefined) return;
    const named = (error.fields ?? []).map((f: { field: string }) => f.field);
    expect(named).toEqual([...new Set(named)]);
    expect([...named].sort()).toEqual([...fields].sort());
    for (const entry of error.fields) expect(entry.message).toMatch(/\w{3,}/);
    if (code === 'REQUEST.INVALID') for (const field of fields) expect(error.message).toContain(field);
  };

  beforeAll(async () => {
    t = await TestApp.start(new Date('2026-01-05T02:00:00Z'));
    const ok = async (request: Call, status = 200) => {
      const response = await t.call(request);
      if (response.status !== status) throw new Error(`${request.method} ${request.url} → ${response.status}: ${response.text}`);
    };
    await ok(
      {
        method: 'POST',
        url: '/units/import?validFrom=2026-01-01',
        token: token('twAdmin'),
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
        token: token('lciOfficer'),
        body: { directiveId: DIRECTIVE, issuerUnitId: 'LCI', format: 'yaml', content: yaml },
      },
      201,
    );
    await ok({
      method: 'POST',
      url: `/directives/${DIRECTIVE}/issue`,
      token: token('lciLeader'),
      body: { signedBy: 'Chủ tịch Hội LHPN tỉnh Lào Cai', scope: { level: 'commune', underUnitId: 'LCI' } },
    });
    // A draft too, so that the routes that only change drafts reach their decider.
    await ok(
      {
        method: 'POST',
        url: '/directives',
        token: token('lciOfficer'),
        body: { ...routeNamed('POST /directives').body, directiveId: DRAFT },
      },
      201,
    );
    await ok(
      {
        method: 'POST',
        url: `/directives/${DIRECTIVE}/periods`,
        token: token('lciOfficer'),
        body: { period: PERIOD, window: { from: '2025-12-15', to: '2026-06-14' }, due: '2026-06-20T17:00:00+07:00' },
      },
      201,
    );
    t.clock.set(new Date('2026-06-15T03:00:00Z'));
    await ok({
      method: 'POST',
      url: `/reports/${DIRECTIVE}/LCI-BX-01/${PERIOD}/submit`,
      token: token('bx01Officer'),
      body: { values: VALUES, narrative: NARRATIVE },
    });
  });
  afterAll(async () => t.stop());

  describe('bodies', () => {
    it.each(COMMANDS.map((route) => ({ name: route.name, route })))('$name: malformed JSON → 400', async ({ route }) => {
      const response = await hostile(route.name, call(route, { body: '{"a":', headers: JSON_TYPE }));
      expectRefused(response, 400, 'REQUEST.INVALID_JSON', ['body']);
      expect(response.json.error.message).toMatch(/not valid JSON/);
    });

    it.each(WITH_BODY.flatMap((route) => ['[]', '"text"', 'null', '42'].map((json) => ({ name: route.name, route, json }))))(
      '$name: a body of $json → 400',
      async ({ route, json }) => {
        const response = await hostile(route.name, call(route, { body: json, headers: JSON_TYPE }));
        expectRefused(response, 400, 'REQUEST.INVALID', ['body']);
        expect(response.json.error.fields[0].message).toMatch(/must be a JSON object/);
      },
    );

    it.each(WITH_BODY.filter((r) => r.required).map((route) => ({ name: route.name, route })))(
      '$name: {} → 400 naming each required field',
      async ({ route }) => {
        expectRefused(await hostile(route.name, call(route, { body: {} })), 400, 'REQUEST.INVALID', route.required);
      },
    );

    it.each(WITH_BODY.map((route) => ({ name: route.name, route })))(
      '$name: an unknown top-level field → 400',
      async ({ route }) => {
        const response = await hostile(route.name, call(route, { body: { ...route.body, zzz: 1 } }));
        expectRefused(response, 400, 'REQUEST.INVALID', ['zzz']);
      },
    );

    it.each(WITH_BODY.filter((r) => r.nested).map((route) => ({ name: route.name, route, nested: route.nested! })))(
      '$name: an unknown nested field → 400 naming $nested.field',
      async ({ route, nested }) => {
        const response = await hostile(route.name, call(route, { body: setAt(route.body, nested.at, 'zzz', 1) }));
        expectRefused(response, 400, 'REQUEST.INVALID', [nested.field]);
      },
    );

    it('an unknown field inside a reported value → 400 naming the value', async () => {
      const route = ROUTES.find((r) => r.name.endsWith('/submit'))!;
      const values = { ...VALUES, 'lc-1': { kind: 'number', value: 1, zzz: 1 } };
      const response = await hostile(route.name, call(route, { body: { ...route.body, values } }));
      expectRefused(response, 400, 'REQUEST.INVALID', ['values']);
      expect(response.json.error.fields[0].message).toBe('values.lc-1.zzz is not a field of a "number" value');
    });

    it.each(
      wrongTypeCases.map(({ route, field, value }) => ({ name: route.name, route, field, value, sent: JSON.stringify(value) })),
    )('$name: $field sent as $sent → 400 naming it', async ({ route, field, value }) => {
      const response = await hostile(route.name, call(route, { body: { ...route.body, [field]: value } }));
      expectRefused(response, 400, 'REQUEST.INVALID');
      // A list sent as an object is also read as an object of the list's items: what is named lies within the field.
      const named: string[] = response.json.error.fields.map((f: { field: string }) => f.field);
      expect(named).toContain(field);
      for (const name of named) expect(name).toMatch(new RegExp(`^${field}($|[.[])`));
    });

    it('an array where a nested object belongs → 400 naming it, not a 404 about "Unit undefined"', async () => {
      const issue = ROUTES.find((r) => r.name.endsWith('/issue'))!;
      const response = await hostile(issue.name, call(issue, { body: { signedBy: 'X', scope: [] } }));
      expectRefused(response, 400, 'REQUEST.INVALID', ['scope']);
      // An array where an object of a list belongs reaches the decider, which names it as well.
      const targets = ROUTES.find((r) => r.name.endsWith('/targets'))!;
      const milestones = await hostile(targets.name, call(targets, { body: { ...TARGET, milestones: [[]] } }));
      expectRefused(milestones, 400, 'DIRECTIVE.INVALID', ['target.milestones[0].from', 'target.milestones[0].value']);
    });
  });

  describe('sizes', () => {
    it.each(oversizedTextCases.map(({ route, field }) => ({ name: route.name, route, field })))(
      '$name: $field of 100,001 characters → 400',
      async ({ route, field }) => {
        const response = await hostile(route.name, call(route, { body: { ...route.body, [field]: 'x'.repeat(100_001) } }));
        expectRefused(response, 400, 'REQUEST.INVALID', [field]);
      },
    );

    it('a narrative of 50,001 characters → 400 naming it', async () => {
      const route = ROUTES.find((r) => r.name.endsWith('/submit'))!;
      const narrative = { ...NARRATIVE, results: 'x'.repeat(50_001) };
      const response = await hostile(route.name, call(route, { body: { ...route.body, narrative } }));
      expectRefused(response, 400, 'REQUEST.INVALID', ['narrative.results']);
    });

    it.each(COMMANDS.filter((r) => r !== CSV_IMPORT).map((route) => ({ name: route.name, route })))(
      '$name: a body over 1 MiB → 413',
      async ({ route }) => {
        const body = { ...route.body, padding: 'x'.repeat(MAX_BODY_BYTES) };
        const response = await hostile(route.name, call(route, { body, headers: JSON_TYPE }));
        expectRefused(response, 413, 'PAYLOAD_TOO_LARGE');
        expect(response.json.error.message).toMatch(/too large/);
      },
    );

    it('an imported file over 1 MiB is refused by the body limit first → 413', async () => {
      const route = routeNamed('POST /directives/import');
      const response = await hostile(
        route.name,
        call(route, { body: { ...route.body, content: 'x'.repeat(MAX_BODY_BYTES + 1) } }),
      );
      expectRefused(response, 413, 'PAYLOAD_TOO_LARGE');
    });

    const byName = (suffix: string) => ROUTES.find((r) => r.name.endsWith(suffix))!;
    const draft = byName('POST /directives');
    const overLong: { name: string; route: Route; body: Body; field: string }[] = [
      { name: 'targets: 201', route: draft, body: { ...draft.body, targets: Array(201).fill(TARGET) }, field: 'targets' },
      {
        name: 'tasks: 501',
        route: draft,
        body: { ...draft.body, tasks: Array(501).fill({ taskId: 't', title: 'T' }) },
        field: 'tasks',
      },
      {
        name: 'milestones: 51',
        route: byName('/targets'),
        body: { ...TARGET, milestones: Array(51).fill(TARGET.milestones[0]) },
        field: 'milestones',
      },
      {
        name: 'coordinating: 101',
        route: byName('/tasks'),
        body: { taskId: 'hx', title: 'T', coordinating: Array(101).fill('Ban') },
        field: 'coordinating',
      },
      {
        name: 'reminderOffsetsDays: 21',
        route: byName('/schedule'),
        body: { cadence: 'monthly', reminderOffsetsDays: Array(21).fill(1) },
        field: 'reminderOffsetsDays',
      },
      {
        name: 'escalationSteps: 11',
        route: byName('/schedule'),
        body: { cadence: 'monthly', escalationSteps: Array(11).fill({ afterWorkingDays: 1, to: 'parent' }) },
        field: 'escalationSteps',
      },
      {
        name: 'changes.targetsAdded: 201',
        route: byName('/amend'),
        body: { changes: { targetsAdded: Array(201).fill(TARGET) }, reason: 'r' },
        field: 'changes.targetsAdded',
      },
      {
        // One-character ids keep 200,001 of them under the 1 MiB body limit, so the DTO's own cap is reached.
        name: 'assigneeUnitIds: 200,001',
        route: byName('/issue'),
        body: { signedBy: 'X', assigneeUnitIds: Array(200_001).fill('A') },
        field: 'assigneeUnitIds',
      },
      {
        name: 'values: 501',
        route: byName('/submit'),
        body: {
          values: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`t${i}`, { kind: 'number', value: 1 }])),
          narrative: NARRATIVE,
        },
        field: 'values',
      },
    ];
    it.each(overLong)('$route.name: $name → 400 naming $field', async ({ route, body, field }) => {
      const response = await hostile(route.name, call(route, { body }));
      expectRefused(response, 400, 'REQUEST.INVALID', [field]);
      expect(response.json.error.fields[0].message).toMatch(/at most|no more than/);
    });

    it('CSV import: a line over 4,096 characters → 400 naming the line', async () => {
      const csv = `code,name,level,parent_code\nHX-1,${'n'.repeat(5000)},commune,LCI-BX\n`;
      const response = await hostile(CSV_IMPORT.name, call(CSV_IMPORT, { body: csv, headers: { 'content-type': 'text/csv' } }));
      expectRefused(response, 400, 'UNIT_IMPORT.INVALID', ['line 2']);
      expect(response.json.error.fields[0].message).toMatch(/LINE_TOO_LONG.*4096/);
    });

    it('CSV import: a body over 32 MiB → 413', async () => {
      const csv = `code,name,level,parent_code\n${'x'.repeat(MAX_CSV_BYTES)}`;
      const response = await hostile(CSV_IMPORT.name, call(CSV_IMPORT, { body: csv, headers: { 'content-type': 'text/csv' } }));
      expectRefused(response, 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('hostile strings', () => {
    it.each(WITH_PARAMS.map(({ route, param }) => ({ name: route.name, route, param })))(
      '$name: path traversal in {$param} → 400',
      async ({ route, param }) => {
        const response = await hostile(route.name, call(route, { params: { [param]: '..%2F..%2Fetc' } }));
        expectRefused(response, 400, 'REQUEST.INVALID', [param]);
      },
    );

    // An officer's user id never joins a stream id, so it may hold '_'; every other id may not.
    it.each(
      WITH_PARAMS.filter(({ param }) => param !== 'userId').map(({ route, param }) => ({ name: route.name, route, param })),
    )("$name: '_' (the stream-id joiner) in {$param} → 400", async ({ route, param }) => {
      const response = await hostile(route.name, call(route, { params: { [param]: `${route.params[param]}_x` } }));
      if (param === 'streamId') expectRefused(response, 400, 'STREAM.INVALID_ID', ['streamId']);
      else expectRefused(response, 400, 'REQUEST.INVALID', [param]);
    });

    it.each([
      ['POST /units', 'code'],
      ['POST /directives', 'directiveId'],
      ['POST /directives', 'issuerUnitId'],
      ['POST /directives/{directiveId}/targets', 'targetId'],
      ['POST /directives/{directiveId}/assignments/{unitId}/implementing', 'childDirectiveId'],
    ])("%s: '_' in the body's %s → 400", async (name, field) => {
      const route = routeNamed(name);
      const response = await hostile(route.name, call(route, { body: { ...route.body, [field]: 'a_b' } }));
      expectRefused(response, 400, 'REQUEST.INVALID', [field]);
    });

    it('SQL-looking text in a path is refused by the id rules', async () => {
      const rename = routeNamed('POST /units/{unitId}/rename');
      const sql = "x'%3B%20DROP%20TABLE%20events%3B--";
      expectRefused(await hostile(rename.name, call(rename, { params: { unitId: sql } })), 400, 'REQUEST.INVALID', ['unitId']);
      const streams = routeNamed('GET /streams/{streamId}');
      const read = await hostile(streams.name, call(streams, { params: { streamId: `unit-${sql}` } }));
      expectRefused(read, 400, 'REQUEST.INVALID', ['streamId']);
    });

    it('SQL-looking text and control characters in a name are stored as plain data; the store still works', async () => {
      const admin = token('twAdmin');
      const names = ["'; DROP TABLE events;--", 'Xã\u0000Bản\u0007Qua\u001b[31m', 'Robert"); DELETE FROM events WHERE (1=1'];
      for (const [i, name] of names.entries()) {
        const before = await t.store.headPosition();
        const renamed = await t.call({
          method: 'POST',
          url: '/units/LCI-TP-03/rename',
          token: admin,
          body: { name, validFrom: `2026-03-0${i + 1}` },
        });
        expect(renamed.status).toBe(200);
        expect(await t.store.headPosition()).toBe(before + 1);
      }
      const history = await t.call({ method: 'GET', url: '/streams/unit-LCI-TP-03', token: admin });
      expect(history.status).toBe(200);
      const stored = history.json.events
        .filter((e: { type: string }) => e.type === 'UnitRenamed')
        .map((e: { data: Body }) => e.data.name);
      expect(stored).toEqual(names);
      // The events table is still there and still takes writes.
      const report = await t.call({ method: 'GET', url: `/streams/${REPORT_STREAM}`, token: admin });
      expect(report.json.events.map((e: { type: string }) => e.type)).toEqual(['ReportingObligationOpened', 'ReportSubmitted']);
    });

    it.each(WITH_BODY.map((route) => ({ name: route.name, route })))(
      '$name: a __proto__ key → 400, and no prototype is polluted',
      async ({ route }) => {
        const body = withRawKey(route.body, '__proto__', '{"polluted":true}');
        const response = await hostile(route.name, call(route, { body, headers: JSON_TYPE }));
        expectRefused(response, 400, 'REQUEST.INVALID', ['__proto__']);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty('polluted');
      },
    );

    it.each([
      ['POST /units/{unitId}/rename', 'constructor', '{"prototype":{"polluted":true}}', 'constructor'],
      ['POST /units/{unitId}/rename', 'prototype', '{"polluted":true}', 'prototype'],
      [
        'POST /directives/{directiveId}/schedule',
        'escalationSteps',
        '[{"afterWorkingDays":1,"to":"parent","__proto__":{"polluted":true}}]',
        'escalationSteps[0].__proto__',
      ],
      // Nest's pipe would silently delete such a key: a target id "constructor" would vanish from the values.
      [
        'POST /reports/{directiveId}/{unitId}/{period}/submit',
        'values',
        '{"constructor":{"kind":"number","value":1}}',
        'values.constructor',
      ],
    ])('%s: %s holding a reserved key → 400 naming %s', async (name, key, json, field) => {
      const route = routeNamed(name);
      const rest = Object.fromEntries(Object.entries(route.body!).filter(([k]) => k !== key));
      const response = await hostile(route.name, call(route, { body: withRawKey(rest, key, json), headers: JSON_TYPE }));
      expectRefused(response, 400, 'REQUEST.INVALID', [field]);
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it.each(COMMANDS.filter((r) => r !== CSV_IMPORT).map((route) => ({ name: route.name, route })))(
      '$name: 10,000 nested arrays → 400, not a crash',
      async ({ route }) => {
        const whole = await hostile(route.name, call(route, { body: DEEP, headers: JSON_TYPE }));
        expectRefused(whole, 400, 'REQUEST.INVALID', ['body']);
        expect(whole.json.error.fields[0].message).toMatch(/more than 32 deep/);
        if (!route.body) return;
        const inField = await hostile(
          route.name,
          call(route, { body: withRawKey(route.body, 'deep', DEEP), headers: JSON_TYPE }),
        );
        expectRefused(inField, 400, 'REQUEST.INVALID', ['body']);
      },
    );

    it('a directive file nested 10,000 deep is refused by the importer, not a crash', async () => {
      const route = routeNamed('POST /directives/import');
      const json = await hostile(route.name, call(route, { body: { ...route.body, format: 'json', content: DEEP } }));
      expectRefused(json, 400, 'DIRECTIVE_IMPORT.INVALID');
      const yaml = await hostile(route.name, call(route, { body: { ...route.body, format: 'yaml', content: DEEP } }));
      expectRefused(yaml, 400, 'DIRECTIVE_IMPORT.UNPARSABLE');
    });
  });

  describe('headers', () => {
    const other = (seconds: number, secret: string) =>
      signToken({ userId: 'admin.tw', unitId: 'TW', roles: ['admin'], oversight: [] }, secret, {
        issuer: 'vwu-engine',
        expiresInSeconds: 3600,
        nowSeconds: Math.floor(t.clock.now().getTime() / 1000) + seconds,
      });
    const badTokens: { kind: string; token: () => string | undefined; header?: string; code: string }[] = [
      { kind: 'no token', token: () => undefined, code: 'AUTH.MISSING_TOKEN' },
      { kind: 'a Basic credential', token: () => undefined, header: 'Basic YWRtaW46YWRtaW4=', code: 'AUTH.MISSING_TOKEN' },
      { kind: 'a garbage token', token: () => 'not-a-jwt', code: 'AUTH.INVALID_TOKEN' },
      {
        kind: 'a token signed with another secret',
        token: () => other(0, 'another-secret-0123456789abcdef-0123456789'),
        code: 'AUTH.INVALID_TOKEN',
      },
      { kind: 'an expired token', token: () => other(-3601, TEST_SECRET), code: 'AUTH.INVALID_TOKEN' },
    ];
    it.each(ALL_ROUTES.flatMap((route) => badTokens.map((bad) => ({ name: route.name, route, ...bad }))))(
      '$name: $kind → 401',
      async ({ route, token: badToken, header, code }) => {
        const headers = header ? { authorization: header } : undefined;
        const response = await hostile(route.name, call(route, { token: badToken(), headers }));
        expectRefused(response, 401, code);
        if (code === 'AUTH.INVALID_TOKEN') expect(response.json.error.message).toMatch(/^Invalid token: /);
      },
    );

    const forbidden: { name: string; as: Actor; request: Omit<Call, 'token'>; code: string }[] = [
      {
        name: 'a commune officer submits for another commune',
        as: 'bx01Officer',
        request: {
          method: 'POST',
          url: `/reports/${DIRECTIVE}/LCI-BX-02/${PERIOD}/submit`,
          body: { values: VALUES, narrative: NARRATIVE },
        },
        code: 'AUTH.NOT_YOUR_UNIT',
      },
      {
        name: "a commune officer acknowledges another commune's assignment",
        as: 'bx01Officer',
        request: { method: 'POST', url: `/directives/${DIRECTIVE}/assignments/LCI-BX-02/acknowledge` },
        code: 'AUTH.NOT_YOUR_UNIT',
      },
      {
        name: 'a district leader approves a commune of another district',
        as: 'spLeader',
        request: { method: 'POST', url: `/reports/${DIRECTIVE}/LCI-BX-01/${PERIOD}/approve`, body: {} },
        code: 'REPORT.NOT_REVIEWER',
      },
      {
        name: 'a district leader waives for a commune of another district',
        as: 'spLeader',
        request: { method: 'POST', url: `/reports/${DIRECTIVE}/LCI-BX-02/${PERIOD}/waive`, body: { reason: 'x' } },
        code: 'REPORT.NOT_REVIEWER',
      },
      {
        name: 'an officer approves (leader only)',
        as: 'bxOfficer',
        request: { method: 'POST', url: `/reports/${DIRECTIVE}/LCI-BX-01/${PERIOD}/approve`, body: {} },
        code: 'AUTH.ROLE_REQUIRED',
      },
      {
        name: 'an officer issues (leader only)',
        as: 'lciOfficer',
        request: {
          method: 'POST',
          url: `/directives/${DRAFT}/issue`,
          body: routeNamed('POST /directives/{directiveId}/issue').body,
        },
        code: 'AUTH.ROLE_REQUIRED',
      },
      {
        name: 'an officer closes (leader only)',
        as: 'lciOfficer',
        request: { method: 'POST', url: `/directives/${DIRECTIVE}/close`, body: {} },
        code: 'AUTH.ROLE_REQUIRED',
      },
      {
        name: 'a viewer submits',
        as: 'bx02Viewer',
        request: {
          method: 'POST',
          url: `/reports/${DIRECTIVE}/LCI-BX-02/${PERIOD}/submit`,
          body: { values: VALUES, narrative: NARRATIVE },
        },
        code: 'AUTH.ROLE_REQUIRED',
      },
      {
        name: 'a viewer renames their unit',
        as: 'bx02Viewer',
        request: { method: 'POST', url: '/units/LCI-BX-02/rename', body: { name: 'X', validFrom: VF } },
        code: 'AUTH.ROLE_REQUIRED',
      },
      {
        name: 'a district admin renames a unit of another district',
        as: 'bxAdmin',
        request: { method: 'POST', url: '/units/LCI-SP/rename', body: { name: 'X', validFrom: VF } },
        code: 'AUTH.OUTSIDE_SUBTREE',
      },
      {
        name: "a commune officer reads another commune's stream",
        as: 'bx01Officer',
        request: { method: 'GET', url: '/streams/unit-LCI-SP-01' },
        code: 'AUTH.OUTSIDE_SUBTREE',
      },
    ];
    it.each(forbidden)('$name → 403 $code', async ({ name, as, request, code }) => {
      expectRefused(await hostile(name, { ...request, token: token(as) }), 403, code);
    });

    it.each(
      COMMANDS.flatMap((route) =>
        ['short', 'has spaces in it', 'slash/and<angle>', 'k'.repeat(129)].map((key) => ({ name: route.name, route, key })),
      ),
    )('$name: Idempotency-Key "$key" → 400', async ({ route, key }) => {
      const csv =
        route === CSV_IMPORT
          ? { body: readLaoCaiSampleCsv(), headers: { 'content-type': 'text/csv', 'idempotency-key': key } }
          : {};
      const response = await hostile(route.name, call(route, { headers: { 'idempotency-key': key }, ...csv }));
      expectRefused(response, 400, 'REQUEST.BAD_IDEMPOTENCY_KEY', ['Idempotency-Key']);
    });

    it.each(
      COMMANDS.flatMap((route) => ['3', '"abc"', '*', '"1", "2"'].map((ifMatch) => ({ name: route.name, route, ifMatch }))),
    )('$name: If-Match $ifMatch → 400', async ({ route, ifMatch }) => {
      const csv =
        route === CSV_IMPORT ? { body: readLaoCaiSampleCsv(), headers: { 'content-type': 'text/csv', 'if-match': ifMatch } } : {};
      const response = await hostile(route.name, call(route, { headers: { 'if-match': ifMatch }, ...csv }));
      expectRefused(response, 400, 'REQUEST.BAD_IF_MATCH', ['If-Match']);
    });

    // Batch commands (CSV import, opening a period) have no single stream: If-Match is not checked there.
    it.each([
      {
        name: 'rename a unit',
        as: 'twAdmin' as Actor,
        url: '/units/LCI-BX/rename',
        body: { name: 'X', validFrom: VF },
        ifMatch: '"7"',
      },
      {
        name: 'add a target to the draft',
        as: 'lciOfficer' as Actor,
        url: `/directives/${DRAFT}/targets`,
        body: TARGET,
        ifMatch: '"5"',
      },
      { name: 'close the directive', as: 'lciLeader' as Actor, url: `/directives/${DIRECTIVE}/close`, body: {}, ifMatch: '"0"' },
      {
        name: 'acknowledge an assignment',
        as: 'bx02Officer' as Actor,
        url: `/directives/${DIRECTIVE}/assignments/LCI-BX-02/acknowledge`,
        body: undefined,
        ifMatch: 'W/"5"',
      },
      {
        name: 'submit a report',
        as: 'bx02Officer' as Actor,
        url: `/reports/${DIRECTIVE}/LCI-BX-02/${PERIOD}/submit`,
        body: { values: VALUES, narrative: NARRATIVE },
        ifMatch: '"3"',
      },
      {
        name: 'approve a report',
        as: 'bxLeader' as Actor,
        url: `/reports/${DIRECTIVE}/LCI-BX-01/${PERIOD}/approve`,
        body: {},
        ifMatch: '"0"',
      },
    ])('$name with a stale If-Match $ifMatch → 412', async ({ name, as, url, body, ifMatch }) => {
      const response = await hostile(name, { method: 'POST', url, token: token(as), body, headers: { 'if-match': ifMatch } });
      expectRefused(response, 412, 'PRECONDITION_FAILED');
      expect(response.json.error.message).toMatch(/is at revision \d+, expected \d+/);
    });
  });

  describe('unknown ids', () => {
    const unitRoutes = ROUTES.filter((r) => r.params.unitId && r.name.startsWith('POST /units'));
    it.each(unitRoutes.map((route) => ({ name: route.name, route })))(
      '$name: an unknown unit → 404 UNIT.NOT_FOUND',
      async ({ route }) => {
        const response = await hostile(route.name, call(route, { params: { unitId: 'HX-NOPE' } }));
        expectRefused(response, 404, 'UNIT.NOT_FOUND');
        expect(response.json.error.message).toContain('HX-NOPE');
      },
    );

    it.each([
      {
        name: 'register under an unknown parent',
        url: '/units',
        body: { ...routeNamed('POST /units').body, parentId: 'HX-NOPE' },
        code: 'UNIT.PARENT_NOT_FOUND',
      },
      {
        name: 'move under an unknown parent',
        url: '/units/LCI-BX-03/move',
        body: { toParentId: 'HX-NOPE', validFrom: VF },
        code: 'UNIT.PARENT_NOT_FOUND',
      },
      {
        name: 'merge into an unknown unit',
        url: '/units/LCI-BX-03/merge',
        body: { intoUnitId: 'HX-NOPE', validFrom: VF },
        code: 'UNIT.MERGE_TARGET_NOT_FOUND',
      },
      {
        name: 'relieve an officer never appointed',
        url: '/units/LCI-BX/officers/hx_nobody/relieve',
        body: { validFrom: VF },
        code: 'UNIT.OFFICER_NOT_APPOINTED',
      },
    ])('$name → 404 $code', async ({ name, url, body, code }) => {
      expectRefused(await hostile(name, { method: 'POST', url, token: token('twAdmin'), body }), 404, code);
    });

    const directiveRoutes = ROUTES.filter((r) => r.name.startsWith('POST /directives/{directiveId}/') && !r.params.unitId);
    it.each(directiveRoutes.map((route) => ({ name: route.name, route })))(
      '$name: an unknown directive → 404 DIRECTIVE.NOT_FOUND',
      async ({ route }) => {
        const response = await hostile(route.name, call(route, { params: { directiveId: 'hx-nope' } }));
        expectRefused(response, 404, 'DIRECTIVE.NOT_FOUND');
        expect(response.json.error.message).toContain('hx-nope');
      },
    );

    it.each([
      {
        name: 'draft on an unknown issuer',
        body: { ...routeNamed('POST /directives').body, issuerUnitId: 'HX-NOPE' },
        code: 'UNIT.NOT_FOUND',
      },
      {
        name: 'draft on an unknown basis',
        body: { ...routeNamed('POST /directives').body, basisDirectiveId: 'hx-nope' },
        code: 'DIRECTIVE.NOT_FOUND',
      },
    ])('$name → 404 $code', async ({ name, body, code }) => {
      expectRefused(await hostile(name, { method: 'POST', url: '/directives', token: token('lciOfficer'), body }), 404, code);
    });

    it('issue to a scope under an unknown unit → 404 UNIT.NOT_FOUND', async () => {
      const route = routeNamed('POST /directives/{directiveId}/issue');
      const response = await hostile(
        route.name,
        call(route, { body: { signedBy: 'X', scope: { level: 'commune', underUnitId: 'HX-NOPE' } } }),
      );
      expectRefused(response, 404, 'UNIT.NOT_FOUND');
    });

    const assignmentRoutes = ROUTES.filter((r) => r.path.includes('/assignments/'));
    it.each(assignmentRoutes.map((route) => ({ name: route.name, route })))(
      '$name: an unknown directive → 404',
      async ({ route }) => {
        const response = await hostile(route.name, call(route, { params: { directiveId: 'hx-nope' } }));
        // The implementing link looks up the child directive first; the others, the assignment.
        if (route.name.endsWith('/implementing')) expectRefused(response, 404, 'DIRECTIVE.NOT_FOUND');
        else expectRefused(response, 404, 'ASSIGNMENT.NOT_FOUND');
      },
    );

    const reportRoutes = ROUTES.filter((r) => r.name.startsWith('POST /reports/'));
    // docs/api.md says a report path on an unknown directive answers 409 REPORT.NOT_OPEN; the API
    // looks the directive up first and answers 404 DIRECTIVE.NOT_FOUND. Asserted as it is.
    it.each(reportRoutes.map((route) => ({ name: route.name, route })))(
      '$name: an unknown directive → 404 DIRECTIVE.NOT_FOUND',
      async ({ route }) => {
        const response = await hostile(route.name, call(route, { params: { directiveId: 'hx-nope' } }));
        expectRefused(response, 404, 'DIRECTIVE.NOT_FOUND');
      },
    );

    it.each(reportRoutes.map((route) => ({ name: route.name, route })))(
      '$name: a period never opened → 409 REPORT.NOT_OPEN',
      async ({ route }) => {
        const response = await hostile(route.name, call(route, { params: { period: '2030-H1' } }));
        expectRefused(response, 409, 'REPORT.NOT_OPEN');
        expect(response.json.error.message).toContain('2030-H1');
      },
    );

    it.each([
      { streamId: 'unit-HX-NOPE', as: 'twAdmin' as Actor },
      { streamId: 'directive-hx-nope', as: 'twAdmin' as Actor },
      { streamId: 'assignment-hx-nope_HX-NOPE', as: 'bx01Officer' as Actor },
      { streamId: `report-${DIRECTIVE}_LCI-BX-01_2030-H1`, as: 'bx01Officer' as Actor },
    ])('GET /streams/$streamId → 404 STREAM.NOT_FOUND', async ({ streamId, as }) => {
      const response = await hostile('GET /streams/{streamId}', { method: 'GET', url: `/streams/${streamId}`, token: token(as) });
      expectRefused(response, 404, 'STREAM.NOT_FOUND');
      expect(response.json.error.message).toContain(streamId);
    });

    it.each([
      { query: 'maxCount=0', fields: ['maxCount'] },
      { query: 'maxCount=1001', fields: ['maxCount'] },
      { query: 'maxCount=abc', fields: ['maxCount'] },
      { query: 'fromRevision=-1', fields: ['fromRevision'] },
      { query: 'maxCount=1&maxCount=2', fields: ['maxCount'] },
      { query: 'zzz=1', fields: ['zzz'] },
    ])('GET /streams/{streamId}?$query → 400', async ({ query, fields }) => {
      const url = `/streams/${REPORT_STREAM}?${query}`;
      expectRefused(
        await hostile('GET /streams/{streamId}', { method: 'GET', url, token: token('bx01Officer') }),
        400,
        'REQUEST.INVALID',
        fields,
      );
    });

    it('GET /streams/foo-bar (not a stream this API serves) → 400 STREAM.INVALID_ID', async () => {
      const response = await hostile('GET /streams/{streamId}', {
        method: 'GET',
        url: '/streams/foo-bar',
        token: token('twAdmin'),
      });
      expectRefused(response, 400, 'STREAM.INVALID_ID', ['streamId']);
    });
  });

  describe('content types', () => {
    it.each([
      {
        name: 'application/json',
        body: { code: 'HX-1' },
        contentType: undefined,
        status: 400,
        code: 'UNIT_IMPORT.NOT_CSV',
        fields: ['body'],
      },
      { name: 'no body', body: undefined, contentType: undefined, status: 400, code: 'UNIT_IMPORT.NOT_CSV', fields: ['body'] },
      { name: 'application/xml', body: '<units/>', contentType: 'application/xml', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    ])('CSV import sent as $name → $status', async ({ body, contentType, status, code, fields }) => {
      const headers = contentType ? { 'content-type': contentType } : undefined;
      expectRefused(await hostile(CSV_IMPORT.name, call(CSV_IMPORT, { body, headers })), status, code, fields);
    });

    it.each([
      { query: '', fields: ['validFrom'] },
      { query: '?validFrom=2026-13-01', fields: ['validFrom'] },
      { query: '?validFrom=2026-01-01&zzz=1', fields: ['zzz'] },
    ])('CSV import with the query "$query" → 400', async ({ query, fields }) => {
      const request = {
        method: 'POST' as const,
        url: `/units/import${query}`,
        token: token('twAdmin'),
        body: readLaoCaiSampleCsv(),
        headers: { 'content-type': 'text/csv' },
      };
      expectRefused(await hostile(CSV_IMPORT.name, request), 400, 'REQUEST.INVALID', fields);
    });

    // text/plain and text/csv have parsers (for the CSV import), so a JSON route gets text and says
    // it wants a JSON object; a type nothing parses is a 415.
    it.each(
      WITH_BODY.flatMap((route) => [
        { name: route.name, route, contentType: 'text/plain', status: 400, code: 'REQUEST.INVALID' },
        { name: route.name, route, contentType: 'text/csv', status: 400, code: 'REQUEST.INVALID' },
        {
          name: route.name,
          route,
          contentType: 'application/x-www-form-urlencoded',
          status: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
        },
        { name: route.name, route, contentType: 'application/xml', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      ]),
    )('$name: the JSON body sent as $contentType → $status', async ({ route, contentType, status, code }) => {
      const response = await hostile(
        route.name,
        call(route, { body: JSON.stringify(route.body), headers: { 'content-type': contentType } }),
      );
      expectRefused(response, status, code, status === 400 ? ['body'] : undefined);
      if (status === 400) expect(response.json.error.message).toMatch(/Content-Type: application\/json/);
    });

    it('an empty body sent as application/json → 400', async () => {
      const rename = routeNamed('POST /units/{unitId}/rename');
      const response = await hostile(rename.name, call(rename, { body: '', headers: JSON_TYPE }));
      expectRefused(response, 400, 'REQUEST.INVALID_JSON', ['body']);
    });
  });

  it('answered no hostile request with a 5xx, and still serves /health', async () => {
    expect(answered.length).toBeGreaterThan(500);
    expect(answered.filter(({ status }) => status >= 500)).toEqual([]);
    const health = await t.call({ method: 'GET', url: '/health' });
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({
      status: 'ok',
      ready: true,
      store: { ready: true, headPosition: await t.store.headPosition() },
    });
  });
});
