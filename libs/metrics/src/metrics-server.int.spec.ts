import { request } from 'node:http';
import { AppMetrics } from './app-metrics';
import { type MetricsServer, startMetricsServer } from './metrics-server';

/** One request on a keep-alive socket (which the server must still be able to close), its path sent as written. */
const get = (url: string, method = 'GET', fresh = false): Promise<{ status: number; type?: string; body: string }> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const path = url.slice(url.indexOf('/', 'http://'.length));
    const options = { hostname, port, path, method, headers: { connection: 'keep-alive' }, ...(fresh && { agent: false }) };
    const req = request(options, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });

describe('the metrics server (worker)', () => {
  // Closed by each test; closed here too when an expectation failed first, so Jest can exit.
  const started: MetricsServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close().catch(() => undefined)));
  });

  it('serves /metrics and /health/live, 404 for anything else, and closes with a scraper still connected', async () => {
    const metrics = new AppMetrics();
    metrics.commands.settled('OpenObligation', 'ok', 0.02, 9);
    const server = await startMetricsServer(metrics, '127.0.0.1', 0);
    started.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const scraped = await get(`${server.url}/metrics?ignored=1`);
    expect(scraped.status).toBe(200);
    expect(scraped.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(scraped.body).toContain('vwu_commands_total{command="OpenObligation",outcome="ok"} 9');
    expect(scraped.body).toContain('vwu_process_resident_memory_bytes');
    expect(await get(`${server.url}/health/live`)).toMatchObject({ status: 200, body: '{"live":true}' });
    for (const [path, method] of [
      ['/', 'GET'],
      ['/metrics', 'POST'],
      ['/metrics/', 'GET'],
      ['/health', 'GET'],
      ['/health/live/../../metrics', 'GET'],
    ])
      expect((await get(`${server.url}${path}`, method)).status).toBe(404);

    await server.close();
    await expect(get(`${server.url}/health/live`, 'GET', true)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('fails to start, saying why, when the port is taken', async () => {
    const first = await startMetricsServer(new AppMetrics(), '127.0.0.1', 0);
    started.push(first);
    const port = Number(new URL(first.url).port);
    await expect(startMetricsServer(new AppMetrics(), '127.0.0.1', port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.close();
  });
});
