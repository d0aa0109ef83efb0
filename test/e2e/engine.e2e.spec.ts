import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';
import { entryPoint, runToExit, startProcess } from './process-harness';

// These run the built entry points (npm test builds first), as `npm start` would.
describe('the embedded engine process', () => {
  let dataDir: string;
  beforeAll(() => {
    if (!existsSync(entryPoint('engine'))) throw new Error(`${entryPoint('engine')} is missing: run "npm run build" first`);
  });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'engine-e2e-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts with nothing else installed, serves /health from its SQLite file, and stops cleanly on SIGTERM', async () => {
    const engine = await startProcess('engine', { DATA_DIR: dataDir, PORT: '0' }, 'engine listening');
    try {
      const response = await fetch(`${engine.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ok',
        live: true,
        ready: true,
        mode: 'embedded',
        store: { ready: true, headPosition: 0 },
      });
      expect(existsSync(join(dataDir, 'engine.db'))).toBe(true);

      // Another process appends to the same file; readiness reports the new head.
      const other = SqliteEventStore.open(join(dataDir, 'engine.db'));
      await other.appendToStream('unit-u1', [newEvent('UnitRegistered')]);
      await other.close();
      const ready = await fetch(`${engine.url}/health/ready`);
      expect(await ready.json()).toMatchObject({ ready: true, store: { headPosition: 1 } });
      expect((await fetch(`${engine.url}/health/live`)).status).toBe(200);
    } finally {
      engine.child.kill('SIGTERM');
    }
    expect(await engine.exited).toBe(0);
    const logs = engine.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; level: number });
    expect(logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['engine listening', 'engine shutting down', 'event store closed']),
    );
  });

  it('refuses a bad configuration with a clear message and exit code 78, before touching any data', async () => {
    const { code, output } = await runToExit('engine', { DATA_DIR: dataDir, PORT: 'eighty', SQLITE_DURABILITY: 'sometimes' });
    expect(code).toBe(78);
    expect(output).toContain('engine: Invalid configuration:');
    expect(output).toContain('PORT="eighty"');
    expect(output).toContain('SQLITE_DURABILITY must be NORMAL or FULL');
    expect(existsSync(join(dataDir, 'engine.db'))).toBe(false);
  });

  it('runs the worker alone, which stops cleanly on SIGINT', async () => {
    const worker = await startProcess('worker', { DATA_DIR: dataDir }, 'worker running');
    worker.child.kill('SIGINT');
    expect(await worker.exited).toBe(0);
    expect(worker.lines.join('\n')).toContain('subscriptions stopped');
  });
});
