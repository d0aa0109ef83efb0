import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppMetrics } from './app-metrics';

export type MetricsServer = Readonly<{ url: string; close: () => Promise<void> }>;

const send = (response: ServerResponse, status: number, type: string, body: string): void => {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
};

/**
 * A bare HTTP server for a process that serves no API (the worker): `GET /metrics` for Prometheus,
 * `GET /health/live` for a liveness probe, 404 for anything else. Node's own `http`: nothing here
 * needs a framework, and a process without routes of its own should not grow them.
 */
export const startMetricsServer = async (metrics: AppMetrics, host: string, port: number): Promise<MetricsServer> => {
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (request.method === 'GET' && path === '/metrics') {
      send(response, 200, metrics.contentType, await metrics.render());
    } else if (request.method === 'GET' && path === '/health/live') {
      send(response, 200, 'application/json; charset=utf-8', '{"live":true}');
    } else {
      send(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
    }
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        send(response, 500, 'text/plain; charset=utf-8', `${error instanceof Error ? error.message : String(error)}\n`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // keep-alive sockets of a scraper would otherwise hold the close
      }),
  };
};
