import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type Principal, signToken, verifyToken } from '@app/auth';
import { CommandHandler } from '@app/commanding';
import { DirectiveService } from '@app/directives';
import { type EventStore, SqliteEventStore } from '@app/eventstore';
import { Access, readLaoCaiSampleCsv, UnitDirectory, UnitService } from '@app/org';
import { ReportingService } from '@app/reporting';
import {
  DEMO_DIRECTIVE_ID,
  DEMO_PERIOD,
  DEMO_USERS,
  type DemoServices,
  type DemoSummary,
  loadDemoData,
  nationalUnitCount,
} from '../../apps/engine/src/demo/demo-loader';
import { entryPoint, runToExit, startProcess } from './process-harness';

/** Lào Cai: 99 communes of the national sample straight under the province, 9 under its 3 districts. */
const LAO_CAI_COMMUNES = 99 + 9;
/** The 3 districts and 9 communes of the Lào Cai sample that the national sample does not have. */
const LAO_CAI_EXTRA_UNITS = 12;

/** Every stream of a category, read from the global log in pages. */
const streamsOf = async (store: EventStore, category: string): Promise<Set<string>> => {
  const ids = new Set<string>();
  for (let after = 0; ;) {
    const batch = await store.readAll({ after, maxCount: 5000, filter: { categories: [category] } });
    if (batch.length === 0) return ids;
    for (const event of batch) ids.add(event.streamId);
    after = batch[batch.length - 1].position;
  }
};

type Log = Record<string, unknown> & { msg: string };
const jsonLines = (lines: readonly string[]): Log[] => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Log);

describe('demo data in the built engine (DEMO=1)', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(entryPoint('engine'))) throw new Error(`${entryPoint('engine')} is missing: run "npm run build" first`);
  });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const startDemo = () =>
    startProcess(
      'engine',
      // The scheduler off: on the real clock the demo's period is long overdue, and its reminders and
      // escalations would be counted with what the demo loader writes; this is about the loader.
      { DATA_DIR: dataDir, PORT: '0', DEMO: '1', DEMO_BRANCHES_PER_COMMUNE: '1', SCHEDULER: 'off' },
      'engine listening',
      60_000,
    );

  it('loads the hierarchy, the issued action program and the first period once; a restart writes nothing', async () => {
    const engine = await startDemo();
    const logs = jsonLines(engine.lines);
    try {
      // Progress lines, then the development tokens, minted with the engine's own key.
      const done = logs.find((l) => l.demo === 'done');
      expect(done).toMatchObject({ loaded: true, assignees: LAO_CAI_COMMUNES, obligations: LAO_CAI_COMMUNES });
      expect(done?.elapsedMs).toEqual(expect.any(Number));
      expect(logs.filter((l) => l.demo === 'units' && l.elapsedMs !== undefined)).toHaveLength(1);
      const tokens = logs.filter((l) => l.demo === 'token');
      expect(tokens.map((l) => l.user)).toEqual(Object.keys(DEMO_USERS));
      expect(tokens.every((l) => l.developmentOnly === true && /DEVELOPMENT ONLY/.test(l.msg))).toBe(true);
      const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
      const communeOfficer = tokens.find((l) => l.user === 'communeOfficer')?.token as string;
      expect(verifyToken(communeOfficer, secret, { issuer: 'vwu-engine', nowSeconds: Math.floor(Date.now() / 1000) })).toEqual(
        DEMO_USERS.communeOfficer,
      );
      // The engine takes the central admin's token (the request is then refused for its body, not its token).
      const admin = tokens.find((l) => l.user === 'centralAdmin')?.token as string;
      const response = await fetch(`${engine.url}/units/import?validFrom=2026-01-01`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(400);
    } finally {
      engine.child.kill('SIGTERM');
    }
    expect(await engine.exited).toBe(0);

    const store = SqliteEventStore.open(join(dataDir, 'engine.db'));
    let head: number;
    try {
      const units = await streamsOf(store, 'unit');
      expect(units.size).toBe(nationalUnitCount(1) + LAO_CAI_EXTRA_UNITS);
      expect(units.has('unit-LCI-BX-01')).toBe(true);

      const [drafted] = await store.readStream(`directive-${DEMO_DIRECTIVE_ID}`, { maxCount: 1 });
      expect(drafted).toMatchObject({ type: 'DirectiveDrafted', metadata: { actor: { unitId: 'LCI' } } });
      expect(drafted.data).toMatchObject({ issuerUnitId: 'LCI', number: '11/CTr-BTV' });

      const assignments = [...(await streamsOf(store, 'assignment'))];
      expect(assignments).toHaveLength(LAO_CAI_COMMUNES);
      expect(assignments.every((id) => id.startsWith(`assignment-${DEMO_DIRECTIVE_ID}_LCI-`))).toBe(true);
      expect(assignments).toEqual(expect.arrayContaining([`assignment-${DEMO_DIRECTIVE_ID}_LCI-BX-01`]));

      const reports = [...(await streamsOf(store, 'report'))];
      expect(reports).toHaveLength(LAO_CAI_COMMUNES);
      expect(reports.every((id) => id.endsWith(`_${DEMO_PERIOD.period}`))).toBe(true);
      const [opened] = await store.readStream(`report-${DEMO_DIRECTIVE_ID}_LCI-BX-01_${DEMO_PERIOD.period}`);
      expect(opened.data).toMatchObject({ due: DEMO_PERIOD.due, window: DEMO_PERIOD.window, reviewerUnitId: 'LCI-BX' });
      head = await store.headPosition();
    } finally {
      await store.close();
    }

    const again = await startDemo();
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(jsonLines(again.lines).find((l) => l.demo === 'done')).toMatchObject({ eventsWritten: 0 });
    expect(again.lines.join('\n')).toContain('demo: demo data already loaded; nothing written');
    const reopened = SqliteEventStore.open(join(dataDir, 'engine.db'));
    try {
      expect(await reopened.headPosition()).toBe(head);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a bad DEMO_BRANCHES_PER_COMMUNE or an unknown argument before touching any data', async () => {
    const bad = await runToExit('engine', { DATA_DIR: dataDir, DEMO: '1', DEMO_BRANCHES_PER_COMMUNE: 'many' });
    expect(bad.code).toBe(78);
    expect(bad.output).toContain('DEMO_BRANCHES_PER_COMMUNE must be a whole number from 0 to 59');
    expect(existsSync(join(dataDir, 'engine.db'))).toBe(false);
  });
});

describe('the demo loader in-process', () => {
  const secret = 'demo-loader-test-secret-0123456789abcdef';
  let dir: string;
  let store: SqliteEventStore;
  let services: DemoServices;
  let logs: Log[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'demo-loader-'));
    store = SqliteEventStore.open(join(dir, 'engine.db'));
    const handler = new CommandHandler(store);
    const directory = new UnitDirectory(store);
    const access = new Access(directory);
    const now = () => new Date('2026-01-05T02:00:00Z');
    const directives = new DirectiveService(handler, directory, access, now);
    services = {
      store,
      directory,
      units: new UnitService(handler, directory, access, now),
      directives,
      reporting: new ReportingService(handler, directory, access, directives, now),
    };
    logs = [];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const load = (over: Partial<DemoServices> = {}): Promise<DemoSummary> =>
    loadDemoData(
      { ...services, ...over },
      {
        branchesPerCommune: 0,
        logger: pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as Log) }),
        mintToken: (principal: Principal) =>
          signToken(principal, secret, { issuer: 'vwu-engine', expiresInSeconds: 600, nowSeconds: 1 }),
      },
    );

  it('finishes the job after a crash mid-load, and then writes nothing more', async () => {
    // The process dies while issuing: units, officers and the draft are written, the rest is not.
    const crashing = Object.create(services.directives) as DirectiveService;
    crashing.issue = () => Promise.reject(new Error('power cut'));
    await expect(load({ directives: crashing })).rejects.toThrow('power cut');
    expect((await streamsOf(store, 'directive')).size).toBe(1);
    expect((await streamsOf(store, 'assignment')).size).toBe(0);

    const resumed = await load();
    expect(resumed).toMatchObject({ loaded: true, assignees: LAO_CAI_COMMUNES, obligations: LAO_CAI_COMMUNES });
    expect(logs.filter((l) => l.demo === 'units' && l.skipped === true)).toHaveLength(1);
    expect((await streamsOf(store, 'unit')).size).toBe(nationalUnitCount(0) + LAO_CAI_EXTRA_UNITS);
    expect((await streamsOf(store, 'assignment')).size).toBe(LAO_CAI_COMMUNES);
    expect((await streamsOf(store, 'report')).size).toBe(LAO_CAI_COMMUNES);

    const head = await store.headPosition();
    expect(await load()).toMatchObject({ loaded: true, eventsWritten: 0 });
    expect(await store.headPosition()).toBe(head);
  });

  it('leaves a store holding units it did not load alone', async () => {
    const admin: Principal = { userId: 'admin', unitId: 'TW', roles: ['admin'], oversight: [] };
    await services.units.importCsv(
      { principal: admin, commandId: 'own-import', correlationId: 'test' },
      readLaoCaiSampleCsv(),
      '2026-01-01',
    );
    const head = await store.headPosition();
    const summary = await load();
    expect(summary).toMatchObject({ loaded: false, eventsWritten: 0 });
    expect(Object.keys(summary.tokens)).toEqual(Object.keys(DEMO_USERS));
    expect(logs.find((l) => l.demo === 'skipped')?.msg).toContain('not loaded by the demo');
    expect(await store.headPosition()).toBe(head);
  });
});
