import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export type Started = Readonly<{ child: ChildProcess; url: string; lines: string[]; exited: Promise<number | null> }>;

export const entryPoint = (app: 'engine' | 'api' | 'worker'): string =>
  join(process.cwd(), 'dist', 'apps', app, 'src', 'main.js');

/** Starts a built entry point and waits for the log line that says it is up. */
export const startProcess = (
  app: 'engine' | 'api' | 'worker',
  env: Record<string, string>,
  readyMessage: string,
  timeoutMs = 20_000,
): Promise<Started> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entryPoint(app)], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
    const lines: string[] = [];
    const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} did not log "${readyMessage}" within ${timeoutMs} ms:\n${lines.join('\n')}`));
    }, timeoutMs);
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        lines.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === readyMessage) {
            clearTimeout(timer);
            resolve({ child, url: (entry.url ?? '').replace('[::1]', '127.0.0.1'), lines, exited });
          }
        } catch {
          // not a JSON line (e.g. a config error on stderr); kept in `lines`
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${app} exited with ${code} before it was ready:\n${lines.join('\n')}${buffered}`));
    });
  });

/** Runs an entry point to its exit and returns its code and everything it printed. */
export const runToExit = (
  app: 'engine' | 'api' | 'worker',
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [entryPoint(app)], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('close', (code) => resolve({ code, output }));
  });
