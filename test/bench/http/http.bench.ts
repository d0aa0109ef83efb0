// HTTP report submission against a trivial endpoint of the same Nest app, with autocannon, in
// one run. The engine runs as its own process (the built dist/), the load comes from this one.
// Run: npm run build && npm run bench:http [-- --quick]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '@app/auth';
import { formatOps, formatPercent, isQuick, printTable } from '../harness';
import { issueSimpleDirective, smallHierarchy, World } from '../commands/world';

const quick = isQuick();
const SECRET = 'bench-secret-0123456789abcdef0123456789';
const COMMUNES = quick ? 10000 : 40000;
const SECONDS = quick ? 2 : 5;
const CONNECTIONS = 10;

const startEngine = (dataDir: string): Promise<{ child: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/engine-prof'] : []),
        join(process.cwd(), 'dist/apps/engine/src/main.js'),
      ],
      {
        env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', JWT_SECRET: SECRET, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.includes('"engine listening"'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url.replace('[::1]', '127.0.0.1') });
    });
    child.once('exit', (code) => reject(new Error(`engine exited with ${code}`)));
  });

const run = (options: autocannon.Options): Promise<autocannon.Result> =>
  new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });

const main = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const world = new World(join(dataDir, 'engine.db'));
  const { csv, communeIds } = smallHierarchy(COMMUNES);
  await world.units.importCsv(world.as('admin', 'TW', ['admin']), csv, '2026-01-01');
  await issueSimpleDirective(world, 'd1');
  await world.directives.issue(world.as('leader', 'P', ['leader']), 'd1', {
    signedBy: 'Chủ tịch',
    scope: { level: 'commune', underUnitId: 'P' },
  });
  await world.reporting.openPeriod(world.as('officer', 'P', ['officer']), 'd1', {
    period: '2026-03',
    window: { from: '2026-02-15', to: '2026-03-14' },
    due: '2099-03-20T17:00:00+07:00',
  });
  await world.close();

  const engine = await startEngine(dataDir);
  const now = Math.floor(Date.now() / 1000);
  const tokens = communeIds.map((unitId) =>
    signToken({ userId: `officer.${unitId}`, unitId, roles: ['officer'], oversight: [] }, SECRET, {
      issuer: 'vwu-engine',
      expiresInSeconds: 3600,
      nowSeconds: now,
    }),
  );
  const body = JSON.stringify({
    values: { t1: { kind: 'number', value: 3 } },
    narrative: { results: 'Đã tổ chức 3 hoạt động', difficulties: '', proposals: '' },
  });

  // Warm both paths up, then measure each for the same time, the trivial endpoint before and after.
  let next = 0;
  const submit = (duration: number) =>
    run({
      url: engine.url,
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const i = next++;
            return {
              ...request,
              path: `/reports/d1/${communeIds[i]}/2026-03/submit`,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` },
              body,
            };
          },
        },
      ],
    });
  const trivial = (duration: number) => run({ url: `${engine.url}/health/live`, connections: CONNECTIONS, duration });

  if (process.env.BENCH_PROFILE) {
    // Profile the submission path alone.
    await submit(SECONDS);
    engine.child.kill('SIGTERM');
    return;
  }
  await trivial(1);
  await submit(1);
  const t1 = await trivial(SECONDS);
  const s = await submit(SECONDS);
  const t2 = await trivial(SECONDS);
  if (next > COMMUNES) throw new Error(`ran out of obligations (${COMMUNES}); raise COMMUNES`);
  engine.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });

  // Requests per second over the whole run (autocannon's per-second average is too coarse for short runs).
  const rate = (r: autocannon.Result) => r['2xx'] / r.duration;
  const trivialRate = (rate(t1) + rate(t2)) / 2;
  const ok = s['2xx'];
  const ratio = rate(s) / trivialRate;
  printTable(
    ['endpoint', 'requests', 'non-2xx', 'req/s', 'p99 latency', 'ratio to trivial', 'target', 'met?'],
    [
      [
        'GET /health/live (trivial), before',
        String(t1.requests.total),
        String(t1.non2xx),
        formatOps(rate(t1)),
        `${t1.latency.p99} ms`,
        '',
        '',
        '',
      ],
      [
        'POST /reports/…/submit',
        String(s.requests.total),
        String(s.non2xx),
        formatOps(rate(s)),
        `${s.latency.p99} ms`,
        formatPercent(ratio),
        '>= 50%',
        ratio >= 0.5 ? 'yes' : 'NO',
      ],
      [
        'GET /health/live (trivial), after',
        String(t2.requests.total),
        String(t2.non2xx),
        formatOps(rate(t2)),
        `${t2.latency.p99} ms`,
        '',
        '',
        '',
      ],
    ],
  );
  if (s.non2xx > 0) console.log(`WARNING: ${s.non2xx} of ${s.requests.total} submissions were not 2xx (${ok} were)`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
