import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ActingContext, Principal } from '@app/auth';
import type { DirectiveService } from '@app/directives';
import type { EventStore } from '@app/eventstore';
import {
  DEFAULT_BRANCHES_PER_COMMUNE,
  generateNationalHierarchyCsv,
  LAO_CAI_SAMPLE_CSV_PATH,
  parseCsv,
  PROVINCES_2025,
  toCsvLine,
  UNIT_IMPORT_LIMITS,
  type UnitDirectory,
  type UnitService,
  unitStreamId,
} from '@app/org';
import { type ReportingService, reportStreamId } from '@app/reporting';

/**
 * Demo data for the embedded engine (`npm start -- --demo` or `DEMO=1`): the national sample
 * hierarchy, the Lào Cai districts and communes, the Lào Cai action program 11/CTr-BTV issued to
 * every commune of the province with a first reporting period open, and development tokens.
 *
 * Everything goes through the application services, as over HTTP, with fixed command ids: each
 * step looks at the store first and is skipped when done, and a step cut short by a crash is
 * either wholly written (one atomic append) or not at all, so a restart finishes the job.
 */

export const DEMO_CENTRAL_UNIT = 'TW';
export const DEMO_PROVINCE_UNIT = 'LCI';
export const DEMO_VALID_FROM = '2025-07-01';
export const DEMO_DIRECTIVE_ID = 'lci-11-ctr-btv-2022';
export const DEMO_DIRECTIVE_FILE = 'libs/directives/examples/lao-cai-11-CTr-BTV-2022.yaml';
export const DEMO_SIGNED_BY = 'Hà Thị Khánh Nguyệt';
export const DEMO_PERIOD = {
  period: '2026-H1',
  window: { from: '2025-12-15', to: '2026-06-14' },
  due: '2026-06-20T17:00:00+07:00',
} as const;
/** Above this, the national CSV would pass the import's 200,000-line limit. */
export const MAX_DEMO_BRANCHES_PER_COMMUNE = 59;

export const DEMO_COMMAND_IDS = {
  units: 'demo:units',
  laoCaiUnits: 'demo:units:lao-cai',
  officer: (userId: string) => `demo:officer:${userId}`,
  draft: 'demo:directive:draft',
  issue: 'demo:directive:issue',
  period: `demo:period:${DEMO_PERIOD.period}`,
} as const;

/** The demo's users. Their tokens are printed at start-up: for development only. */
export const DEMO_USERS = {
  centralAdmin: { userId: 'demo.admin.tw', unitId: 'TW', roles: ['admin'], oversight: [] },
  laoCaiLeader: { userId: 'demo.leader.lci', unitId: 'LCI', roles: ['leader'], oversight: [] },
  laoCaiOfficer: { userId: 'demo.officer.lci', unitId: 'LCI', roles: ['officer'], oversight: [] },
  districtLeader: { userId: 'demo.leader.lci-bx', unitId: 'LCI-BX', roles: ['leader'], oversight: [] },
  communeOfficer: { userId: 'demo.officer.lci-bx-01', unitId: 'LCI-BX-01', roles: ['officer'], oversight: [] },
} as const satisfies Record<string, Principal>;

export type DemoUser = keyof typeof DEMO_USERS;

export type DemoServices = Readonly<{
  store: EventStore;
  directory: UnitDirectory;
  units: UnitService;
  directives: DirectiveService;
  reporting: ReportingService;
}>;

export type DemoLogger = Pick<Logger, 'info' | 'warn'>;

export type DemoOptions = Readonly<{
  branchesPerCommune: number;
  logger: DemoLogger;
  /** Signs a token with the engine's key (JWT_SECRET or DATA_DIR/jwt-secret). */
  mintToken: (principal: Principal) => string;
}>;

export type DemoSummary = Readonly<{
  /** False when the store holds units the demo did not load: then nothing was touched. */
  loaded: boolean;
  /** Events this run wrote (0 when everything was there already). */
  eventsWritten: number;
  units: number;
  assignees: number;
  obligations: number;
  elapsedMs: number;
  tokens: Readonly<Record<DemoUser, string>>;
}>;

export class DemoSettingsError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'DemoSettingsError';
  }
}

export type DemoSettings = Readonly<{ branchesPerCommune: number }>;

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['', '0', 'false', 'no', 'off'];

/**
 * Reads the engine's command line (`--demo` is its only argument) and the DEMO and
 * DEMO_BRANCHES_PER_COMMUNE variables. Undefined: no demo. A bad value throws, naming it.
 */
export const demoSettings = (argv: readonly string[], env: NodeJS.ProcessEnv): DemoSettings | undefined => {
  const unknown = argv.filter((arg) => arg !== '--demo');
  if (unknown.length > 0) {
    throw new DemoSettingsError(`unknown argument ${unknown.map((a) => `"${a}"`).join(', ')}: the engine takes only --demo`, 64);
  }
  const flag = (env.DEMO ?? '').trim().toLowerCase();
  if (!TRUE.includes(flag) && !FALSE.includes(flag)) {
    throw new DemoSettingsError(`DEMO=${JSON.stringify(env.DEMO)}: DEMO must be 1 or 0 (true/false)`, 78);
  }
  if (!argv.includes('--demo') && !TRUE.includes(flag)) return undefined;
  const given = (env.DEMO_BRANCHES_PER_COMMUNE ?? '').trim();
  if (given === '') return { branchesPerCommune: DEFAULT_BRANCHES_PER_COMMUNE };
  if (!/^\d+$/.test(given) || Number(given) > MAX_DEMO_BRANCHES_PER_COMMUNE) {
    throw new DemoSettingsError(
      `DEMO_BRANCHES_PER_COMMUNE=${JSON.stringify(env.DEMO_BRANCHES_PER_COMMUNE)}: ` +
        `DEMO_BRANCHES_PER_COMMUNE must be a whole number from 0 to ${MAX_DEMO_BRANCHES_PER_COMMUNE}`,
      78,
    );
  }
  return { branchesPerCommune: Number(given) };
};

/** Units in the national sample for a number of branches per commune. */
export const nationalUnitCount = (branchesPerCommune: number): number => {
  const communes = PROVINCES_2025.reduce((sum, p) => sum + p.communes, 0);
  return 1 + PROVINCES_2025.length + communes * (1 + branchesPerCommune);
};

/**
 * A file of the repository (sample CSV, example directive). The build copies no data files into
 * dist/, so look in the source tree: up from here (src/ or dist/), then from the working directory.
 */
export const findRepositoryFile = (relativePath: string): string => {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, relativePath);
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`Demo data file ${relativePath} was not found above ${__dirname} or ${process.cwd()}`);
};

const laoCaiSampleCsv = (): string =>
  readFileSync(
    existsSync(LAO_CAI_SAMPLE_CSV_PATH)
      ? LAO_CAI_SAMPLE_CSV_PATH
      : findRepositoryFile('libs/org/src/sample/lao-cai-hierarchy.csv'),
    'utf8',
  );

/** The lines of a unit CSV whose codes are not registered yet (header kept); undefined when none is left. */
const unregisteredLines = (csv: string, directory: UnitDirectory): { csv: string; units: number } | undefined => {
  const { records, problems } = parseCsv(csv, {
    maxLines: UNIT_IMPORT_LIMITS.maxDataLines + 1,
    maxLineLength: UNIT_IMPORT_LIMITS.maxLineLength,
  });
  if (problems.length > 0) throw new Error(`The Lào Cai sample CSV is unreadable: ${problems[0].message}`);
  const [header, ...rows] = records;
  const codeColumn = header.fields.indexOf('code');
  const missing = rows.filter((row) => directory.unitIdByCode(row.fields[codeColumn].trim()) === undefined);
  if (missing.length === 0) return undefined;
  return { csv: `${[header, ...missing].map((r) => toCsvLine(r.fields)).join('\n')}\n`, units: missing.length };
};

const acting = (user: DemoUser, commandId: string): ActingContext => ({
  principal: DEMO_USERS[user],
  commandId,
  correlationId: 'demo',
});

/** Loads the demo data (see the top of this file). Idempotent: a second run writes nothing. */
export const loadDemoData = async (services: DemoServices, options: DemoOptions): Promise<DemoSummary> => {
  const { store, directory, units, directives, reporting } = services;
  const { logger, branchesPerCommune } = options;
  const started = performance.now();
  const elapsed = (since = started) => Math.round(performance.now() - since);
  const headBefore = await store.headPosition();
  await directory.refresh();

  const tokens = Object.fromEntries(
    (Object.keys(DEMO_USERS) as DemoUser[]).map((user) => [user, options.mintToken(DEMO_USERS[user])]),
  ) as Record<DemoUser, string>;
  const printTokens = (): void => {
    for (const user of Object.keys(DEMO_USERS) as DemoUser[]) {
      const { userId, unitId, roles } = DEMO_USERS[user];
      logger.warn(
        { demo: 'token', developmentOnly: true, user, userId, unitId, roles, token: tokens[user] },
        'demo token (DEVELOPMENT ONLY: never use demo tokens or --demo in production)',
      );
    }
  };

  // The store holds someone's own units: leave it alone.
  const [origin] = await store.readStream(unitStreamId(DEMO_CENTRAL_UNIT), { maxCount: 1 });
  const foreign = directory.size > 0 && origin?.metadata.commandId !== DEMO_COMMAND_IDS.units;
  if (foreign) {
    logger.warn(
      { demo: 'skipped', units: directory.size, elapsedMs: elapsed() },
      `demo: the store already holds units not loaded by the demo (unit ${DEMO_CENTRAL_UNIT} ${origin ? 'was registered otherwise' : 'is missing'}); loading nothing`,
    );
    printTokens();
    return { loaded: false, eventsWritten: 0, units: directory.size, assignees: 0, obligations: 0, elapsedMs: elapsed(), tokens };
  }
  logger.info({ demo: 'start', branchesPerCommune, headPosition: headBefore }, 'demo: loading the demo data');

  // (a) The national sample hierarchy, in one import (one atomic append).
  if (origin) {
    logger.info({ demo: 'units', skipped: true, units: directory.size }, 'demo: national hierarchy already loaded');
  } else {
    const t0 = performance.now();
    const expected = nationalUnitCount(branchesPerCommune);
    logger.info({ demo: 'units', units: expected, branchesPerCommune }, 'demo: importing the national hierarchy');
    const csv = generateNationalHierarchyCsv({ branchesPerCommune });
    const result = await units.importCsv(acting('centralAdmin', DEMO_COMMAND_IDS.units), csv, DEMO_VALID_FROM);
    logger.info(
      { demo: 'units', units: result.streams, events: result.events, replayed: result.replayed, elapsedMs: elapsed(t0) },
      'demo: national hierarchy loaded',
    );
  }

  // (b) The Lào Cai sample's districts and communes, under the national Lào Cai (same code, LCI).
  await directory.refresh();
  const laoCai = unregisteredLines(laoCaiSampleCsv(), directory);
  if (!laoCai) {
    logger.info({ demo: 'lao-cai-units', skipped: true }, 'demo: Lào Cai districts and communes already loaded');
  } else {
    const t0 = performance.now();
    const result = await units.importCsv(acting('centralAdmin', DEMO_COMMAND_IDS.laoCaiUnits), laoCai.csv, DEMO_VALID_FROM);
    logger.info(
      { demo: 'lao-cai-units', units: result.streams, replayed: result.replayed, elapsedMs: elapsed(t0) },
      'demo: Lào Cai districts and communes loaded (province → district → commune)',
    );
  }

  // (d, first half) The demo users are appointed officers of their units; a repeat changes nothing.
  {
    const t0 = performance.now();
    let appointed = 0;
    for (const user of Object.keys(DEMO_USERS) as DemoUser[]) {
      const { userId, unitId, roles } = DEMO_USERS[user];
      const result = await units.appoint(acting('centralAdmin', DEMO_COMMAND_IDS.officer(userId)), unitId, {
        userId,
        role: roles[0],
        validFrom: DEMO_VALID_FROM,
      });
      if (!result.replayed && result.events.length > 0) appointed++;
    }
    logger.info(
      { demo: 'officers', appointed, users: Object.keys(DEMO_USERS).length, elapsedMs: elapsed(t0) },
      appointed > 0 ? 'demo: demo users appointed' : 'demo: demo users already appointed',
    );
  }

  // (c) The action program: drafted by Lào Cai, issued to every commune under it, first period opened.
  let directive = await directives.state(DEMO_DIRECTIVE_ID);
  if (directive.status === 'none') {
    const t0 = performance.now();
    const yaml = readFileSync(findRepositoryFile(DEMO_DIRECTIVE_FILE), 'utf8');
    await directives.importFile(acting('laoCaiOfficer', DEMO_COMMAND_IDS.draft), yaml, 'yaml', {
      directiveId: DEMO_DIRECTIVE_ID,
      issuerUnitId: DEMO_PROVINCE_UNIT,
    });
    directive = await directives.state(DEMO_DIRECTIVE_ID);
    const targets = directive.status === 'draft' ? directive.targets.length : 0;
    logger.info(
      { demo: 'directive', directiveId: DEMO_DIRECTIVE_ID, targets, elapsedMs: elapsed(t0) },
      'demo: action program 11/CTr-BTV drafted by Lào Cai',
    );
  }
  if (directive.status === 'draft') {
    const t0 = performance.now();
    const issued = await directives.issue(acting('laoCaiLeader', DEMO_COMMAND_IDS.issue), DEMO_DIRECTIVE_ID, {
      signedBy: DEMO_SIGNED_BY,
      scope: { level: 'commune', underUnitId: DEMO_PROVINCE_UNIT },
    });
    directive = await directives.state(DEMO_DIRECTIVE_ID);
    logger.info(
      { demo: 'issue', directiveId: DEMO_DIRECTIVE_ID, assignees: issued.assignees, elapsedMs: elapsed(t0) },
      'demo: action program issued to every commune of Lào Cai',
    );
  } else {
    logger.info({ demo: 'issue', skipped: true, status: directive.status }, 'demo: action program already issued');
  }

  let obligations = 0;
  const assignees = directive.status === 'issued' ? directive.assigneeUnitIds : [];
  if (directive.status !== 'issued') {
    logger.warn({ demo: 'period', status: directive.status }, 'demo: the action program is not issued; no period opened');
  } else if ((await store.streamRevision(reportStreamId(DEMO_DIRECTIVE_ID, assignees[0], DEMO_PERIOD.period))) >= 0) {
    obligations = assignees.length;
    logger.info({ demo: 'period', skipped: true, period: DEMO_PERIOD.period }, 'demo: reporting period already open');
  } else {
    const t0 = performance.now();
    const opened = await reporting.openPeriod(acting('laoCaiOfficer', DEMO_COMMAND_IDS.period), DEMO_DIRECTIVE_ID, DEMO_PERIOD);
    obligations = opened.streams;
    logger.info(
      { demo: 'period', period: DEMO_PERIOD.period, obligations, due: DEMO_PERIOD.due, elapsedMs: elapsed(t0) },
      'demo: first reporting period opened',
    );
  }

  // (d) The tokens, minted with the engine's key.
  printTokens();
  await directory.refresh();
  const eventsWritten = (await store.headPosition()) - headBefore;
  const summary = {
    loaded: true,
    eventsWritten,
    units: directory.size,
    assignees: assignees.length,
    obligations,
    elapsedMs: elapsed(),
    tokens,
  };
  const { tokens: _, ...shown } = summary;
  logger.info(
    { demo: 'done', ...shown },
    eventsWritten > 0 ? 'demo: demo data loaded' : 'demo: demo data already loaded; nothing written',
  );
  return summary;
};
