import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { verifyToken } from '@app/auth';
import { loadConfig } from '@app/config';
import { ManualClock } from '@app/platform';
import { createHttpApp } from '../../apps/api/src/http-app';
import { DEMO_USERS } from '../../apps/engine/src/demo/demo-loader';
import { EngineModule } from '../../apps/engine/src/engine.module';
import { buildWebInto } from '../browser/harness';
import { TEST_SECRET } from '../support/test-app';
import { entryPoint, startProcess } from './process-harness';

// The dashboard's static files under /app/ and the development login route, against hostile
// requests: only the built files are ever served, and a refusal names no file or path.

describe('the dashboard files under /app/', () => {
  let dir: string;
  let app: NestFastifyApplication;
  let script: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'web-app-e2e-'));
    buildWebInto(join(dir, 'web'));
    const logger = pino({ level: 'silent' });
    const config = loadConfig({ DATA_DIR: dir, JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' });
    app = await createHttpApp(EngineModule.forRoot(config, logger, new ManualClock(new Date('2026-03-02T02:00:00Z'))), logger, {
      webDir: join(dir, 'web'),
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    script = /src="\/app\/(app\.[A-Z0-9]{8}\.js)"/.exec(readFileSync(join(dir, 'web', 'index.html'), 'utf8'))![1];
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('redirects / to /app/ and serves the page with a strict CSP, revalidated by ETag', async () => {
    expect(await get('/')).toMatchObject({ statusCode: 302, headers: { location: '/app/' } });
    expect(await get('/app')).toMatchObject({ statusCode: 301, headers: { location: '/app/' } });
    const page = await get('/app/');
    expect(page.statusCode).toBe(200);
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe');
    expect(page.body).toContain('<html lang="vi">');
    expect((await get('/app/index.html')).body).toBe(page.body);
    const again = await get('/app/', { 'if-none-match': String(page.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves the hashed script for good, gzipped when asked, and answers HEAD', async () => {
    const plain = await get(`/app/${script}`);
    expect(plain.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const packed = await get(`/app/${script}`, { 'accept-encoding': 'br, gzip' });
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(packed.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    const head = await app.inject({ method: 'HEAD', url: `/app/${script}` });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it.each([
    '/app/../package.json',
    '/app/..%2fpackage.json',
    '/app/%2e%2e/package.json',
    '/app/%2e%2e%2fpackage.json',
    '/app/.%2e/.%2e/package.json',
    '/app/%252e%252e%252fpackage.json',
    '/app/%c0%ae%c0%ae/package.json',
    '/app/..\\..\\package.json',
    '/app//etc/passwd',
    '/app/%2fetc%2fpasswd',
    '/app/web/index.html',
    '/app/index.html%00.js',
    '/app/index.html/',
    '/app/.env',
    '/app/app.js',
    '/app/nothing-here.css',
    `/app/${'a'.repeat(5000)}.js`,
    `/app/${'../'.repeat(2000)}package.json`,
  ])('refuses %s without serving or naming any file', async (url) => {
    const response = await get(url);
    // 404 from /app/*, or from the router when the path resolves elsewhere (`..` segments);
    // 400 when the path is not valid percent-encoded UTF-8.
    expect([400, 404]).toContain(response.statusCode);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toHaveProperty('error');
    for (const leak of ['vwu-workflow-engine', '"private"', 'root:x', 'ENOENT', process.cwd(), dir, '    at ']) {
      expect(response.body).not.toContain(leak);
    }
  });

  it('has no development login unless the engine loaded the demo data', async () => {
    const response = await get('/dev/demo-tokens');
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('token"');
  });
});

describe('the development login of a demo engine (DEMO=1)', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(entryPoint('engine'))) throw new Error(`${entryPoint('engine')} is missing: run "npm run build" first`);
  });
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'web-demo-e2e-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists the demo users with tokens minted by the engine, and serves the built dashboard', async () => {
    const engine = await startProcess(
      'engine',
      { DATA_DIR: dataDir, PORT: '0', DEMO: '1', DEMO_BRANCHES_PER_COMMUNE: '0' },
      'engine listening',
      60_000,
    );
    try {
      const response = await fetch(`${engine.url}/dev/demo-tokens`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const { developmentOnly, users } = (await response.json()) as {
        developmentOnly: boolean;
        users: { user: string; userId: string; token: string }[];
      };
      expect(developmentOnly).toBe(true);
      expect(users.map((u) => u.user)).toEqual(Object.keys(DEMO_USERS));
      const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
      const officer = users.find((u) => u.user === 'communeOfficer')!;
      expect(verifyToken(officer.token, secret, { issuer: 'vwu-engine', nowSeconds: Math.floor(Date.now() / 1000) })).toEqual(
        DEMO_USERS.communeOfficer,
      );
      const page = await fetch(`${engine.url}/app/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/src="\/app\/app\.[A-Z0-9]{8}\.js"/);
    } finally {
      engine.child.kill('SIGTERM');
    }
    expect(await engine.exited).toBe(0);
  });
});
