import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyToken } from '@app/auth';
import { readLaoCaiSampleCsv } from '@app/org';
import { entryPoint, startProcess } from './process-harness';

const CLI = join(process.cwd(), 'dist', 'apps', 'cli', 'src', 'mint-token.js');

/** Runs the built token CLI, as `npm run -s token -- …` does. */
const mint = (args: string[], env: Record<string, string>) => {
  const run = spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

const payloadOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

describe('the token CLI (built)', () => {
  let dataDir: string;
  beforeAll(() => {
    for (const file of [CLI, entryPoint('engine')]) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first`);
    }
  });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-e2e-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints only a token signed with the key it creates in DATA_DIR/jwt-secret, carrying the given claims', () => {
    const before = Math.floor(Date.now() / 1000);
    const { code, stdout, stderr } = mint(
      ['--user', 'admin', '--unit', 'TW', '--roles', 'admin,leader', '--oversight', 'P01,P02', '--ttl', '3600'],
      { DATA_DIR: dataDir },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('admin at TW');

    const token = stdout.trim();
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
    expect(verifyToken(token, secret, { issuer: 'vwu-engine', nowSeconds: before })).toEqual({
      userId: 'admin',
      unitId: 'TW',
      roles: ['admin', 'leader'],
      oversight: ['P01', 'P02'],
    });
    // Issued during this call (a correctness check of the iat claim, not a performance figure).
    const payload = payloadOf(token);
    const issuedAt = payload.iat as number;
    expect(issuedAt).toBeGreaterThanOrEqual(before);
    expect(issuedAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect((payload.exp as number) - issuedAt).toBe(3600);
    expect(() =>
      verifyToken(token, 'another-key-another-key-another-key!', { issuer: 'vwu-engine', nowSeconds: before }),
    ).toThrow('bad signature');

    // A second token reuses the key; the default lifetime is TOKEN_TTL_SECONDS.
    const second = mint(['--user', 'o1', '--unit', 'LCI', '--roles', 'officer'], { DATA_DIR: dataDir, TOKEN_TTL_SECONDS: '600' });
    expect(second.code).toBe(0);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(secret);
    const principal = verifyToken(second.stdout.trim(), secret, { issuer: 'vwu-engine', nowSeconds: before });
    expect(principal).toEqual({ userId: 'o1', unitId: 'LCI', roles: ['officer'], oversight: [] });
    const secondClaims = payloadOf(second.stdout.trim());
    expect((secondClaims.exp as number) - (secondClaims.iat as number)).toBe(600);
  });

  it('signs with JWT_SECRET and JWT_ISSUER when they are set, and writes no key file', () => {
    const secret = 'a-shared-secret-of-at-least-32-characters';
    const { code, stdout } = mint(['--user', 'u', '--unit', 'TW', '--roles', 'viewer'], {
      DATA_DIR: dataDir,
      JWT_SECRET: secret,
      JWT_ISSUER: 'my-issuer',
    });
    expect(code).toBe(0);
    expect(verifyToken(stdout.trim(), secret, { issuer: 'my-issuer', nowSeconds: Math.floor(Date.now() / 1000) }).roles).toEqual([
      'viewer',
    ]);
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
  });

  it.each([
    [['--user', 'u', '--unit', 'TW', '--roles', 'admin', '--usr', 'x'], "Unknown option '--usr'"],
    [['--unit', 'TW', '--roles', 'admin'], '--user is required'],
    [['--user', 'u', '--roles', 'admin'], '--unit is required'],
    [['--user', 'u', '--unit', 'TW'], '--roles is required'],
    [['--user', '--unit', 'TW', '--roles', 'admin'], '--user needs a value'],
    [['--user', 'u', '--unit', 'TW', '--roles', 'admin,superuser'], 'unknown role "superuser"'],
    [['--user', 'u', '--unit', 'TW', '--roles', 'admin', '--ttl', '1h'], '--ttl must be a whole number of seconds'],
    [['--user', 'u', '--unit', 'TW', '--roles', 'admin', '--ttl', '0'], '--ttl must be a whole number of seconds'],
    [['--user', 'u', '--unit', 'TW', '--roles', 'admin', 'extra'], "Unexpected argument 'extra'"],
  ])('refuses %j with exit code 64 and a clear message, printing no token', (args, message) => {
    const { code, stdout, stderr } = mint(args, { DATA_DIR: dataDir });
    expect(code).toBe(64);
    expect(stdout).toBe('');
    expect(stderr).toContain(`token: ${message}`);
    expect(stderr).toContain('--help');
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
  });

  it('prints its usage with --help', () => {
    const { code, stdout } = mint(['--help'], { DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npm run -s token -- --user <userId> --unit <unitId> --roles <role,...>');
    expect(stdout).toContain('--oversight');
    expect(stdout).toContain('--ttl');
  });

  it('refuses a bad configuration with exit code 78, as the engine does', () => {
    const { code, stderr } = mint(['--user', 'u', '--unit', 'TW', '--roles', 'admin'], {
      DATA_DIR: dataDir,
      JWT_SECRET: 'short',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('JWT_SECRET must be at least 32 characters');
  });

  it('mints tokens the engine on the same DATA_DIR accepts', async () => {
    const admin = mint(['--user', 'admin', '--unit', 'TW', '--roles', 'admin'], { DATA_DIR: dataDir }).stdout.trim();
    const engine = await startProcess('engine', { DATA_DIR: dataDir, PORT: '0' }, 'engine listening');
    try {
      const imported = await fetch(`${engine.url}/units/import?validFrom=2026-01-01`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
        body: readLaoCaiSampleCsv(),
      });
      expect(imported.status).toBe(201);
      expect(await imported.json()).toMatchObject({ streams: 14, events: 14, replayed: false });

      // Minted while the engine runs: the same key, still accepted; a token for another key is not.
      const officer = mint(['--user', 'o', '--unit', 'LCI-BX', '--roles', 'officer'], { DATA_DIR: dataDir }).stdout.trim();
      const forbidden = await fetch(`${engine.url}/units/LCI-BX/rename`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'X', validFrom: '2026-02-01' }),
      });
      expect(forbidden.status).toBe(403);
      const otherDir = mkdtempSync(join(tmpdir(), 'cli-e2e-other-'));
      try {
        const foreign = mint(['--user', 'admin', '--unit', 'TW', '--roles', 'admin'], { DATA_DIR: otherDir }).stdout.trim();
        const refused = await fetch(`${engine.url}/units/import?validFrom=2026-01-01`, {
          method: 'POST',
          headers: { authorization: `Bearer ${foreign}`, 'content-type': 'text/csv' },
          body: readLaoCaiSampleCsv(),
        });
        expect(refused.status).toBe(401);
      } finally {
        rmSync(otherDir, { recursive: true, force: true });
      }
    } finally {
      engine.child.kill('SIGTERM');
    }
    expect(await engine.exited).toBe(0);
  });
});
