import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { KafkaPublisher } from '@app/messaging';
import { type MockKafka, mockKafkaUnavailableReason, startMockKafka, waitFor } from '../../../test/support/kafka/mock-kafka';
import { aReminder } from './testing/reminders';

const ROOT = resolve(__dirname, '../../..');

/** Runs main.ts as its own process, as `node dist/apps/notifier/src/main.js` would run. */
const launch = (env: Record<string, string>) => {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/notifier/src/main.ts'],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const lines = (): Array<Record<string, unknown>> =>
    output.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, output, exited, lines };
};

const stopIfRunning = async (child: ChildProcess, exited: Promise<unknown>): Promise<void> => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exited;
};

describe('notifier main', () => {
  it('refuses to start on a bad configuration, naming each bad value, with exit code 78', async () => {
    const run = launch({ KAFKA_BROKERS: 'kafka', NOTIFIER_MODE: 'sms', NOTIFIER_MAX_ATTEMPTS: 'many' });
    await expect(run.exited).resolves.toBe(78);
    expect(run.output.stderr).toContain('KAFKA_BROKERS="kafka"');
    expect(run.output.stderr).toContain('NOTIFIER_MODE="sms"');
    expect(run.output.stderr).toContain('NOTIFIER_MAX_ATTEMPTS="many"');
  });

  const unavailable = mockKafkaUnavailableReason();
  if (unavailable) console.warn(`SKIPPED: notifier main against the Kafka mock broker: ${unavailable}`);

  (unavailable ? describe.skip : describe)('against a Kafka-protocol broker', () => {
    let mock: MockKafka;
    let dir: string;
    beforeAll(async () => {
      const started = await startMockKafka();
      if ('skipped' in started) throw new Error(started.skipped);
      mock = started;
      dir = mkdtempSync(join(tmpdir(), 'notifier-main-'));
    });
    afterAll(async () => {
      await mock?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('in log mode writes one JSON line per delivery, and shuts down on SIGTERM with exit code 0', async () => {
      await mock.createTopic('main.reminders', 1);
      const run = launch({
        KAFKA_BROKERS: mock.brokers.join(','),
        KAFKA_TOPIC_PREFIX: 'main',
        NOTIFIER_MODE: 'log',
        KAFKA_FETCH_MAX_WAIT_MS: '100', // the mock broker answers an empty fetch only after this long
        NOTIFIER_DB: join(dir, 'nested', 'notifier.sqlite'),
      });
      try {
        await waitFor(() => run.lines().some((line) => line.msg === 'notifier running'), 'the notifier to start');
        const publisher = new KafkaPublisher({ clientId: 'main-spec', brokers: mock.brokers, logger: pino({ level: 'silent' }) });
        await publisher.publish([
          { topic: 'main.reminders', key: 'unit-hn', value: JSON.stringify(aReminder('m-1')), headers: {} },
        ]);
        await publisher.close();
        const delivery = () => run.lines().filter((line) => line.msg === 'reminder delivered (log mode)');
        await waitFor(() => delivery().length === 1, 'the delivery line');
        expect(delivery()[0]).toMatchObject({ service: 'vwu-notifier', delivery: aReminder('m-1') });

        run.child.kill('SIGTERM');
        await expect(run.exited).resolves.toBe(0);
        expect(run.lines().some((line) => line.msg === 'notifier shutting down' && line.signal === 'SIGTERM')).toBe(true);
      } finally {
        await stopIfRunning(run.child, run.exited);
      }
    });
  });
});
