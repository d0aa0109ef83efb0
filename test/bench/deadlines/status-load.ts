/**
 * An open-loop HTTP load on one GET endpoint, from a worker thread of the benchmark process: the
 * requests go out at a fixed rate whatever the server does, and each latency is counted from the
 * moment its request was due, so a server that stalls is charged for every request it kept waiting
 * (no coordinated omission). The worker has its own event loop: the engine's event loop, which the
 * deadline scheduler and the projections share with the HTTP server, does not pace the client.
 *
 * The client first opens a pool of keep-alive connections (`connections` requests at once), so a
 * request that waits while the server is busy does not also wait for a new connection: with
 * connections opened on demand, the engine under the burst accepted one new connection per turn of
 * its event loop, and the first runs measured that instead of the query. Requests that found no free
 * connection are counted (`opened`).
 */
import { Worker } from 'node:worker_threads';
import { median } from '../harness';

export type LoadOptions = Readonly<{ url: string; path: string; token: string; ratePerSecond: number; connections?: number }>;

/** One request: when it was due (epoch ms, `performance.timeOrigin + now()`), its latency, status, and whether it opened a connection. */
export type Sample = Readonly<{ at: number; ms: number; status: number; fresh: boolean }>;

const CLIENT = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { url, path, token, ratePerSecond, connections } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });
const clock = () => performance.timeOrigin + performance.now();
const samples = [];
let inFlight = 0;
let stopping = false;
const fire = (due, record) =>
  new Promise((resolve) => {
    inFlight++;
    const done = (status, fresh) => {
      if (record) samples.push({ at: due, ms: clock() - due, status, fresh });
      inFlight--;
      resolve();
    };
    const request = http.request(
      { host: target.hostname, port: target.port, path, method: 'GET', agent, headers: { authorization: 'Bearer ' + token } },
      (response) => {
        response.resume();
        response.on('end', () => done(response.statusCode, !request.reusedSocket));
      },
    );
    request.on('error', () => done(0, !request.reusedSocket));
    request.end();
  });
const run = async () => {
  await Promise.all(Array.from({ length: connections }, () => fire(clock(), false)));
  parentPort.postMessage('ready');
  const start = clock();
  const interval = 1000 / ratePerSecond;
  let sent = 0;
  const tick = setInterval(() => {
    if (stopping) return clearInterval(tick);
    const now = clock();
    while (start + sent * interval <= now) void fire(start + sent++ * interval, true);
  }, 2);
};
parentPort.on('message', () => {
  stopping = true;
  const finish = () => {
    if (inFlight > 0) return setTimeout(finish, 5);
    agent.destroy();
    parentPort.postMessage(samples);
  };
  finish();
});
void run();
`;

export type Load = Readonly<{ stop: () => Promise<Sample[]> }>;

/** Starts the load once its connections are open. */
export const startLoad = async (options: LoadOptions): Promise<Load> => {
  const worker = new Worker(CLIENT, { eval: true, workerData: { connections: 128, ...options } });
  const messages: unknown[] = [];
  let waiting: ((message: unknown) => void) | undefined;
  let failed: Error | undefined;
  worker.on('message', (message: unknown) => (waiting ? waiting(message) : messages.push(message)));
  worker.once('error', (error) => (failed = error));
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      if (failed) return reject(failed);
      if (messages.length > 0) return resolve(messages.shift());
      waiting = (message) => {
        waiting = undefined;
        resolve(message);
      };
    });
  await next(); // 'ready'
  return {
    stop: async () => {
      worker.postMessage('stop');
      const samples = (await next()) as Sample[];
      await worker.terminate();
      return samples;
    },
  };
};

export const epochNow = (): number => performance.timeOrigin + performance.now();

export type LatencySummary = Readonly<{
  count: number;
  failed: number;
  /** Requests that found no free connection and opened one. */
  opened: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}>;

export const summarize = (samples: readonly Sample[]): LatencySummary => {
  const ms = samples
    .filter((s) => s.status === 200)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  const at = (q: number) => (ms.length === 0 ? Number.NaN : ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]);
  return {
    count: samples.length,
    failed: samples.filter((s) => s.status !== 200).length,
    opened: samples.filter((s) => s.fresh).length,
    p50: ms.length === 0 ? Number.NaN : median(ms),
    p90: at(0.9),
    p99: at(0.99),
    max: ms.length === 0 ? Number.NaN : ms[ms.length - 1],
  };
};

/** The samples whose request was due in [from, to). */
export const between = (samples: readonly Sample[], from: number, to: number): Sample[] =>
  samples.filter((s) => s.at >= from && s.at < to);
