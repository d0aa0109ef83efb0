import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { chromium, type BrowserContext } from 'playwright-core';
import { type Principal, signToken } from '@app/auth';
import { loadConfig } from '@app/config';
import { DirectiveService } from '@app/directives';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { UnitDirectory, UnitService } from '@app/org';
import { ManualClock, TOKEN_SECRET } from '@app/platform';
import { ReportingService } from '@app/reporting';
import { createHttpApp } from '../../apps/api/src/http-app';
import { loadDemoData } from '../../apps/engine/src/demo/demo-loader';
import { registerDemoTokensRoute } from '../../apps/engine/src/demo/demo-tokens.route';
import { EngineModule } from '../../apps/engine/src/engine.module';

/** Debian's chromium (CI installs it, see .ci/run); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Why the browser suite cannot run here, or undefined. Locally a missing browser skips the suite
 * (saying why); on CI (CI=true) it fails, since CI installs chromium.
 */
export const browserUnavailable = (): string | undefined => {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`The browser tests need chromium on CI: ${reason}`);
  return reason;
};

/** The dashboard built afresh from apps/web (scripts/build-web.js) into a temp directory. */
export const buildWebInto = (dir: string): void => {
  execFileSync(process.execPath, [join(process.cwd(), 'scripts', 'build-web.js'), '--out', dir], { stdio: 'pipe' });
};

export type DemoEngine = Readonly<{
  app: NestFastifyApplication;
  url: string;
  clock: ManualClock;
  store: EventStore;
  stop: () => Promise<void>;
}>;

/**
 * The embedded engine in-process, as apps/engine/src/main.ts starts it with --demo: the demo data
 * on a temp SQLite file (1 branch per commune), the development login route, the dashboard served
 * from a fresh build, listening on a free port. Its clock is the test's.
 */
export const startDemoEngine = async (now: Date): Promise<DemoEngine> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'browser-e2e-'));
  const webDir = join(dataDir, 'web');
  buildWebInto(webDir);
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const logger = pino({ level: 'silent' });
  const clock = new ManualClock(now);
  const app = await createHttpApp(EngineModule.forRoot(config, logger, clock), logger, { webDir });
  try {
    await app.init();
    const secret = app.get<string>(TOKEN_SECRET);
    const mintToken = (principal: Principal) =>
      signToken(principal, secret, {
        issuer: config.JWT_ISSUER,
        expiresInSeconds: config.TOKEN_TTL_SECONDS,
        nowSeconds: Math.floor(clock.now().getTime() / 1000),
      });
    await loadDemoData(
      {
        store: app.get<EventStore>(EVENT_STORE),
        directory: app.get(UnitDirectory),
        units: app.get(UnitService),
        directives: app.get(DirectiveService),
        reporting: app.get(ReportingService),
      },
      { branchesPerCommune: 1, logger, mintToken },
    );
    registerDemoTokensRoute(app, mintToken);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    clock,
    store: app.get<EventStore>(EVENT_STORE),
    stop: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Headless chromium with a fresh profile, no network beyond the engine, nothing phoning home. */
export const launchBrowser = async (): Promise<{ context: BrowserContext; close: () => Promise<void> }> => {
  const profile = mkdtempSync(join(tmpdir(), 'browser-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};
