import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type WebhookRequest = Readonly<{
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  key: string;
  attempt: number;
}>;

/** What the server does with a request: answer with a status (perhaps later), or never answer. */
export type WebhookAnswer = number | 'hang' | Promise<number>;

export type WebhookServer = Readonly<{
  url: string;
  requests: WebhookRequest[];
  /** Requests per Idempotency-Key. */
  count(key: string): number;
  close(): Promise<void>;
}>;

/** A real HTTP server on 127.0.0.1 standing in for the SMS/e-mail gateway. */
export const startWebhookServer = async (
  answer: (request: WebhookRequest) => WebhookAnswer = () => 200,
): Promise<WebhookServer> => {
  const requests: WebhookRequest[] = [];
  const hanging: ServerResponse[] = [];
  const count = (key: string): number => requests.filter((r) => r.key === key).length;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const request = {
        method: req.method ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        key,
        attempt: count(key) + 1,
      };
      requests.push(request);
      const reply = answer(request);
      if (reply === 'hang') return void hanging.push(res);
      void Promise.resolve(reply).then((status) => {
        if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/reminders`,
    requests,
    count,
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
