import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { signToken } from '@app/auth';
import { type AppConfig, loadConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { AppMetrics } from '@app/metrics';
import { readLaoCaiSampleCsv } from '@app/org';
import { ManualClock, PlatformModule } from '@app/platform';
import { ALL_PROJECTIONS, Consistency } from '@app/read-models';
import { ApiModule } from '../../apps/api/src/api.module';
import { createHttpApp } from '../../apps/api/src/http-app';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { TEST_SECRET, TestApp } from '../support/test-app';

// An api and a worker as production runs them (two applications over one store, here in one test
// process, each with its own registry). The worker is stopped while the api takes commands, so the
// projections are behind by a known amount; then a worker catches up and the lag is 0.

@Module({})
class ApiRoot {}
@Module({})
class WorkerRoot {}

const silent = pino({ level: 'silent' });
const DIRECTIVE = 'lc-11-2022';
const PERIOD = '2026-H1';

/** `name{labels} value` lines of the text format → value by series (process metrics left out). */
const parse = (text: string): Map<string, number> =>
  new Map(
    text
      .split('\n')
      .filter((line) => line.startsWith('vwu_') && !/^vwu_(process|nodejs)_/.test(line))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))] as const;
      }),
  );

describe('GET /metrics', () => {
  let dir: string;
  let config: AppConfig;
  let clock: ManualClock;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext | undefined;

  const startWorker = async () => {
    const app = await NestFactory.createApplicationContext(
      { module: WorkerRoot, imports: [PlatformModule.forRoot(config, silent, clock), WorkerModule] },
      { logger: false, abortOnError: false },
    );
    await app.init();
    return app;
  };
  const token = (userId: string, unitId: string, roles: Array<'admin' | 'leader' | 'officer'>) =>
    signToken({ userId, unitId, roles, oversight: [] }, TEST_SECRET, {
      issuer: 'vwu-engine',
      expiresInSeconds: 3600,
      nowSeconds: Math.floor(clock.now().getTime() / 1000),
    });
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const json = options.body !== undefined && typeof options.body !== 'string';
    const response = await api.inject({
      method,
      url,
      payload: json ? JSON.stringify(options.body) : (options.body as string | undefined),
      headers: {
        ...(options.token && { authorization: `Bearer ${options.token}` }),
        ...(json && { 'content-type': 'application/json' }),
        ...options.headers,
      },
    });
    return { status: response.statusCode, body: response.body, headers: response.headers };
  };
  const ok = async (...args: Parameters<typeof call>) => {
    const response = await call(...args);
    if (response.status >= 300) throw new Error(`${args[0]} ${args[1]} → ${response.status}: ${response.body}`);
    return response;
  };
  const scrape = async () => {
    const response = await call('GET', '/metrics');
    expect(response.status).toBe(200);
    return parse(response.body);
  };
  const store = () => api.get<EventStore>(EVENT_STORE);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'metrics-e2e-'));
    config = loadConfig({ DATA_DIR: dir, JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', SCHEDULER: 'off' });
    // The reports of 2026-H1 were due on 2026-06-20.
    clock = new ManualClock(new Date('2026-07-01T02:00:00Z'));
    // A worker creates the read models' tables, then stops: nothing projects while the api works.
    await (await startWorker()).close();
    api = await createHttpApp({ module: ApiRoot, imports: [PlatformModule.forRoot(config, silent, clock), ApiModule] }, silent);
    await api.init();
    await api.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const officer = (unit: string) => token(`officer.${unit}`, unit, ['officer']);
  const leader = (unit: string) => token(`chair.${unit}`, unit, ['leader']);
  const report = (unit: string, action: string) => `/reports/${DIRECTIVE}/${unit}/${PERIOD}/${action}`;
  const values = {
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
  const narrative = { results: 'Đã triển khai', difficulties: 'Địa bàn rộng', proposals: 'Tăng kinh phí' };
  const catchUp = async () => {
    const head = await store().headPosition();
    expect(await worker!.get(Consistency).waitFor(ALL_PROJECTIONS, head, 10_000)).toBe(true);
  };
  const projections = ALL_PROJECTIONS.map((p) => `projection:${p.name}`);
  const series = (metric: string, subscription: string) => `${metric}{subscription="${subscription}"}`;

  it('counts the commands of a world built while no worker runs, and shows every projection behind', async () => {
    await ok('POST', '/units/import?validFrom=2026-01-01', {
      token: token('admin', 'TW', ['admin']),
      body: readLaoCaiSampleCsv(),
      headers: { 'content-type': 'text/csv' },
    });
    const yaml = readFileSync(join(process.cwd(), 'libs/directives/examples/lao-cai-11-CTr-BTV-2022.yaml'), 'utf8');
    await ok('POST', '/directives/import', {
      token: officer('LCI'),
      body: { directiveId: DIRECTIVE, issuerUnitId: 'LCI', format: 'yaml', content: yaml },
    });
    await ok('POST', `/directives/${DIRECTIVE}/issue`, {
      token: leader('LCI'),
      body: { signedBy: 'Chủ tịch Hội LHPN tỉnh Lào Cai', scope: { level: 'commune', underUnitId: 'LCI' } },
    });
    await ok('POST', `/directives/${DIRECTIVE}/periods`, {
      token: officer('LCI'),
      body: { period: PERIOD, window: { from: '2025-12-15', to: '2026-06-14' }, due: '2026-06-20T17:00:00+07:00' },
    });

    const head = await store().headPosition();
    const [first] = await store().readAll({ maxCount: 1 });
    clock.set(new Date(first.recordedAt + 90_000));
    const m = await scrape();
    expect(m.get('vwu_commands_total{command="RegisterUnit",outcome="ok"}')).toBe(14); // one import, 14 units
    expect(m.get('vwu_commands_total{command="DraftDirective",outcome="ok"}')).toBe(1);
    expect(m.get('vwu_commands_total{command="IssueDirective",outcome="ok"}')).toBe(1);
    expect(m.get('vwu_commands_total{command="OpenReportingPeriod",outcome="ok"}')).toBe(1);
    expect(m.get('vwu_commands_total{command="OpenObligation",outcome="ok"}')).toBe(9);
    expect(m.get('vwu_command_duration_seconds_count{command="RegisterUnit"}')).toBe(1); // the batch is timed once
    expect(m.get('vwu_http_requests_total{method="POST",route="/directives/:directiveId/issue",status="200"}')).toBe(1);
    expect(m.get('vwu_event_store_head_position')).toBe(head);

    // Nothing projected yet: every lag in events is the whole log, except for a projection with no event of its kind in it (0).
    const subscribers = [
      ...ALL_PROJECTIONS.map((p) => ({ name: `projection:${p.name}`, filter: p.filter })),
      { name: 'saga:period-opener', filter: { eventTypes: ['ReportingPeriodOpened'] } },
    ];
    let idle = 0;
    for (const { name, filter } of subscribers) {
      const hasWork = (await store().readAll({ filter, maxCount: 1 })).length > 0;
      if (!hasWork) idle++;
      expect(m.get(series('vwu_subscription_position', name))).toBe(0);
      expect(m.get(series('vwu_subscription_lag_events', name))).toBe(hasWork ? head : 0);
    }
    expect(idle).toBeLessThan(subscribers.length / 2);
    // Measured to the first event each one still has to process: the very first event for these two.
    expect(m.get(series('vwu_subscription_lag_seconds', 'projection:audit-index'))).toBe(90);
    expect(m.get(series('vwu_subscription_lag_seconds', 'projection:unit-tree'))).toBe(90);
    const sagaLag = m.get(series('vwu_subscription_lag_seconds', 'saga:period-opener'))!;
    expect(sagaLag).toBeGreaterThan(0);
    expect(sagaLag).toBeLessThanOrEqual(90);
    // The relay is off and has never run: no series for it.
    expect([...m.keys()].filter((k) => k.includes('relay:kafka'))).toEqual([]);
    expect([...m.keys()].filter((k) => k.startsWith('vwu_metrics_collect_errors_total'))).toEqual([]);
  });

  it('shows no lag in seconds once a worker has caught up, and the same figures from the worker', async () => {
    worker = await startWorker();
    await catchUp();
    // The saga is not a projection: wait until it has taken the period's opening too.
    const [opened] = await store().readAll({ filter: { eventTypes: ['ReportingPeriodOpened'] } });
    for (
      let i = 0;
      i < 200 && (await scrape()).get(series('vwu_subscription_position', 'saga:period-opener'))! < opened.position;
      i++
    )
      await new Promise((resolve) => setTimeout(resolve, 50));
    const head = await store().headPosition();
    const m = await scrape();
    for (const name of [...projections, 'saga:period-opener'])
      expect(m.get(series('vwu_subscription_lag_seconds', name))).toBe(0);
    // Unfiltered projections are at the head; filtered ones at their last event, with nothing left to handle: no lag either way.
    expect(m.get(series('vwu_subscription_position', 'projection:audit-index'))).toBe(head);
    expect(m.get(series('vwu_subscription_position', 'projection:unit-tree'))).toBe(14);
    expect(m.get(series('vwu_subscription_lag_events', 'projection:audit-index'))).toBe(0);
    expect(m.get(series('vwu_subscription_lag_events', 'projection:unit-tree'))).toBe(0);

    // The worker's own registry: the saga found the api had opened the obligations already.
    const w = parse(await worker.get(AppMetrics).render());
    expect(w.get('vwu_commands_total{command="OpenObligation",outcome="replayed"}')).toBe(9);
    expect(w.get('vwu_commands_total{command="OpenObligation",outcome="ok"}')).toBeUndefined();
    for (const name of [...projections, 'saga:period-opener'])
      expect(w.get(series('vwu_subscription_position', name))).toBe(m.get(series('vwu_subscription_position', name)));
  });

  it("counts the deadline timers: armed, overdue at the clock's time, held while a report awaits review", async () => {
    // 9 obligations × (3 reminders, the overdue mark, 2 escalations), none fired (the scheduler is off).
    clock.set(new Date('2026-06-01T00:00:00Z'));
    let m = await scrape();
    expect(m.get('vwu_timers_pending')).toBe(54);
    expect(m.get('vwu_timers_overdue')).toBe(0);
    expect(m.get('vwu_timers_held')).toBe(0);

    clock.set(new Date('2026-07-01T02:00:00Z'));
    await ok('POST', report('LCI-BX-01', 'submit'), { token: officer('LCI-BX-01'), body: { values, narrative } });
    await catchUp();
    m = await scrape();
    expect(m.get('vwu_timers_pending')).toBe(48);
    expect(m.get('vwu_timers_overdue')).toBe(48);
    expect(m.get('vwu_timers_held')).toBe(6);
  });

  it('counts a replayed, a refused and a precondition-failed command by outcome', async () => {
    const submit = (unit: string, headers: Record<string, string>) =>
      call('POST', report(unit, 'submit'), { token: officer(unit), body: { values, narrative }, headers });
    expect((await submit('LCI-BX-02', { 'idempotency-key': 'metrics-0001' })).status).toBe(200);
    expect((await submit('LCI-BX-02', { 'idempotency-key': 'metrics-0001' })).status).toBe(200);
    expect((await submit('LCI-BX-03', { 'if-match': '"7"' })).status).toBe(412);
    expect((await call('POST', report('LCI-SP-01', 'approve'), { token: leader('LCI-SP'), body: {} })).status).toBe(409);

    const m = await scrape();
    expect(m.get('vwu_commands_total{command="SubmitReport",outcome="ok"}')).toBe(2); // LCI-BX-01 before, LCI-BX-02
    expect(m.get('vwu_commands_total{command="SubmitReport",outcome="replayed"}')).toBe(1);
    expect(m.get('vwu_commands_total{command="SubmitReport",outcome="precondition"}')).toBe(1);
    expect(m.get('vwu_commands_total{command="ApproveReport",outcome="rejected"}')).toBe(1);
    expect(m.get('vwu_command_duration_seconds_count{command="SubmitReport"}')).toBe(4);
    expect([...m.keys()].filter((k) => k.startsWith('vwu_command_conflicts_total{'))).toEqual([]);
    const route = '/reports/:directiveId/:unitId/:period/submit';
    expect(m.get(`vwu_http_requests_total{method="POST",route="${route}",status="200"}`)).toBe(3);
    expect(m.get(`vwu_http_requests_total{method="POST",route="${route}",status="412"}`)).toBe(1);
  });

  it('labels requests by route pattern only: hostile paths add no series', async () => {
    const before = await scrape();
    const hostile = [
      ['GET', '/etc/passwd'],
      ['GET', '/../../../../etc/shadow'],
      ['GET', `/${'a'.repeat(4000)}`],
      ['GET', '/%00%ff%fe'],
      ['GET', '/metrics/%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
      ['POST', '/units/import/"}evil{le="'],
      ['DELETE', '/metrics'],
      ['PROPFIND', '/'],
    ] as const;
    for (const [method, url] of hostile)
      expect((await api.inject({ method: method as 'GET', url })).statusCode).toBeGreaterThanOrEqual(400);
    // Routes with parameters: the value never reaches the label.
    expect((await call('GET', '/streams/..%2f..%2fetc%2fpasswd')).status).toBe(401);
    expect((await call('GET', '/units/%27%20OR%201%3D1--/children')).status).toBe(401);

    const after = await scrape();
    const requests = (m: Map<string, number>) => [...m.keys()].filter((k) => k.startsWith('vwu_http_requests_total{'));
    const added = requests(after).filter((k) => !before.has(k) && !k.includes('route="/metrics"'));
    expect(added.sort()).toEqual(
      [
        'vwu_http_requests_total{method="GET",route="unmatched",status="404"}',
        'vwu_http_requests_total{method="POST",route="unmatched",status="404"}',
        'vwu_http_requests_total{method="DELETE",route="unmatched",status="404"}',
        'vwu_http_requests_total{method="OTHER",route="unmatched",status="404"}',
        'vwu_http_requests_total{method="GET",route="/streams/:streamId",status="401"}',
        'vwu_http_requests_total{method="GET",route="/units/:unitId/children",status="401"}',
      ].sort(),
    );
    // Four GETs reached the router's not-found handler; the malformed escape (/%00%ff%fe) is refused
    // with 400 by the router itself, before any hook: not counted at all.
    expect(after.get('vwu_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(4);
    const samples = (await call('GET', '/metrics')).body.split('\n').filter((line) => !line.startsWith('#'));
    for (const fragment of ['passwd', 'shadow', 'aaaa', 'alert', 'evil', 'OR 1', '..'])
      expect(samples.filter((line) => line.includes(fragment))).toEqual([]);
  });

  it('serves the text format without a token, and is not in the OpenAPI document', async () => {
    const response = await call('GET', '/metrics');
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.body).toContain('# TYPE vwu_commands_total counter');
    expect(response.body).toContain('# TYPE vwu_process_cpu_user_seconds_total counter');
    const openapi = JSON.parse((await call('GET', '/docs/json')).body) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).not.toContain('/metrics');
    expect(Object.keys(openapi.paths)).toContain('/health');
  });
});

describe('GET /metrics on the embedded engine', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start()));
  afterAll(async () => t.stop());

  it("serves the api's and the worker's series from one registry, under the names /health/work uses", async () => {
    const admin = t.token('admin', 'TW', ['admin']);
    const body = { code: 'TW', name: 'Trung ương', level: 'central', parentId: null, validFrom: '2026-01-01' };
    expect((await t.call({ method: 'POST', url: '/units', token: admin, body })).status).toBe(201);
    const m = parse((await t.call({ method: 'GET', url: '/metrics' })).text);
    expect(m.get('vwu_commands_total{command="RegisterUnit",outcome="ok"}')).toBe(1);
    expect(m.get('vwu_http_requests_total{method="POST",route="/units",status="201"}')).toBe(1);
    const work = (await t.call({ method: 'GET', url: '/health/work' })).json as { subscriptions: Array<{ name: string }> };
    const labelled = [...m.keys()]
      .filter((k) => k.startsWith('vwu_subscription_position{'))
      .map((k) => /subscription="([^"]+)"/.exec(k)![1]);
    expect(labelled.sort()).toEqual(work.subscriptions.map((s) => s.name).sort());
  });
});
