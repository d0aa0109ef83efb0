import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { type Principal, type Role, signToken } from '@app/auth';
import { loadConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { ManualClock } from '@app/platform';
import { createHttpApp } from '../../apps/api/src/http-app';
import { EngineModule } from '../../apps/engine/src/engine.module';

export const TEST_SECRET = 'test-secret-for-e2e-tests-0123456789abcdef';

export type Call = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
};

/** The embedded engine in-process over a temp SQLite file, with a clock the test moves. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly clock: ManualClock,
    readonly dataDir: string,
  ) {}

  /**
   * The deadline scheduler does not run in the background here (SCHEDULER=off): a test that moves
   * the clock fires timers itself with `deadlines.scheduler.runUntilIdle()`, so nothing fires behind
   * its back. `env` adds or overrides settings.
   */
  static async start(now = new Date('2026-01-05T02:00:00Z'), env: Record<string, string> = {}): Promise<TestApp> {
    const dataDir = mkdtempSync(join(tmpdir(), 'engine-test-'));
    const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', SCHEDULER: 'off', ...env });
    const clock = new ManualClock(now);
    const app = await createHttpApp(EngineModule.forRoot(config, pino({ level: 'silent' }), clock), pino({ level: 'silent' }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new TestApp(app, clock, dataDir);
  }

  get store(): EventStore {
    return this.app.get<EventStore>(EVENT_STORE);
  }

  token(userId: string, unitId: string, roles: Role[] = ['officer'], oversight: string[] = []): string {
    const principal: Principal = { userId, unitId, roles, oversight };
    return signToken(principal, TEST_SECRET, {
      issuer: 'vwu-engine',
      expiresInSeconds: 3600,
      nowSeconds: Math.floor(this.clock.now().getTime() / 1000),
    });
  }

  async call({ method, url, token, body, headers = {} }: Call) {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const response = await this.app.inject({
      method,
      url,
      payload,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(payload !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
    });
    let json: unknown;
    try {
      json = response.json();
    } catch {
      json = undefined;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies loosely
    return { status: response.statusCode, headers: response.headers, json: json as Record<string, any>, text: response.body };
  }

  async stop(): Promise<void> {
    await this.app.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
