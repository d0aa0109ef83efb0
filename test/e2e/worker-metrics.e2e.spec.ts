import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';
import { entryPoint, runToExit, startProcess } from './process-harness';

// The built worker (npm test builds first) with METRICS_PORT: its only HTTP server.
describe('the worker process with METRICS_PORT', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(entryPoint('worker'))) throw new Error(`${entryPoint('worker')} is missing: run "npm run build" first`);
  });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'worker-metrics-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves /metrics and /health/live on HOST, 404 for the rest, and closes the port on SIGTERM', async () => {
    const store = SqliteEventStore.open(join(dataDir, 'engine.db'));
    await store.appendToStream('unit-TW', [newEvent('UnitRegistered')]);
    await store.close();

    const worker = await startProcess('worker', { DATA_DIR: dataDir, METRICS_PORT: '0', HOST: '127.0.0.1' }, 'worker running');
    try {
      expect(worker.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const live = await fetch(`${worker.url}/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ live: true });

      const scrape = await fetch(`${worker.url}/metrics`);
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await scrape.text();
      expect(text).toContain('vwu_event_store_head_position 1\n');
      expect(text).toMatch(/^vwu_subscription_position\{subscription="projection:audit-index"\} [01]$/m);
      expect(text).toMatch(/^vwu_timers_pending 0$/m);
      expect(text).toMatch(/^vwu_process_resident_memory_bytes \d+/m);

      for (const path of ['/', '/health', '/health/ready', '/metrics/x', '/docs'])
        expect((await fetch(`${worker.url}${path}`)).status).toBe(404);
      expect((await fetch(`${worker.url}/metrics`, { method: 'POST', body: 'x' })).status).toBe(404);
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
    await expect(fetch(`${worker.url}/health/live`)).rejects.toThrow();
  });

  it('refuses a bad METRICS_PORT at start-up with exit code 78', async () => {
    const { code, output } = await runToExit('worker', { DATA_DIR: dataDir, METRICS_PORT: 'yes' });
    expect(code).toBe(78);
    expect(output).toContain('METRICS_PORT="yes"');
  });
});
