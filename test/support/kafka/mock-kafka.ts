import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A real Kafka-protocol broker for tests: librdkafka's mock cluster (mock-broker.c), compiled once
 * per source version with gcc and driven over stdin. Brokers have ids 1..n; 'all' means every one.
 */
export type MockKafka = Readonly<{
  brokers: string[];
  /** Closes the broker's connections and refuses new ones, as in an outage. */
  down(brokerId: number | 'all'): Promise<void>;
  up(brokerId: number | 'all'): Promise<void>;
  /** The mock cluster does not serve CreateTopics; auto-created topics get 4 partitions. */
  createTopic(name: string, partitions: number): Promise<void>;
  stop(): Promise<void>;
}>;

export type MockKafkaSkipped = Readonly<{ skipped: string }>;

const SOURCE = join(__dirname, 'mock-broker.c');
const GCC_ARGS = ['-std=c11', '-D_GNU_SOURCE', '-O2', '-Wall', '-Wextra'];

/** Compiles mock-broker.c unless this version of it is already built; returns the binary or why not. */
const build = (): { binary: string } | { skipped: string } => {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).update(GCC_ARGS.join(' ')).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `vwu-mock-kafka-${hash}`);
  const binary = join(dir, 'mock-broker');
  if (existsSync(binary)) return { binary };

  mkdirSync(dir, { recursive: true });
  // Jest workers may compile at the same time: each writes its own file and renames it into place.
  const partial = `${binary}.${process.pid}.tmp`;
  const result = spawnSync('gcc', [...GCC_ARGS, '-o', partial, SOURCE, '-lrdkafka'], { encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return { skipped: 'gcc was not found (apt-get install -y gcc)' };
  }
  if (result.status !== 0) {
    rmSync(partial, { force: true });
    const output = `${result.stdout}${result.stderr}${result.error?.message ?? ''}`;
    if (/rdkafka(_mock)?\.h: No such file|cannot find -lrdkafka/.test(output)) {
      return { skipped: 'librdkafka was not found (apt-get install -y librdkafka-dev)' };
    }
    throw new Error(`compiling ${SOURCE} failed:\n${output}`);
  }
  renameSync(partial, binary);
  return { binary };
};

let built: { binary: string } | { skipped: string } | undefined;
const binaryOrSkip = (): { binary: string } | { skipped: string } => {
  built ??= build();
  // CI installs librdkafka-dev and gcc (.ci/run), so there a missing one is a broken machine.
  if ('skipped' in built && process.env.CI === 'true') {
    throw new Error(`the Kafka mock broker is required in CI: ${built.skipped}`);
  }
  return built;
};

/**
 * Why the mock broker cannot run here, or undefined when it can (building it if needed), so a
 * spec can choose `describe.skip` while it is being collected. Throws in CI instead of skipping.
 */
export const mockKafkaUnavailableReason = (): string | undefined => {
  const result = binaryOrSkip();
  return 'skipped' in result ? result.skipped : undefined;
};

/** Answers to commands arrive in order, one line each. */
class CommandChannel {
  private readonly pending: Array<{ command: string; resolve: () => void; reject: (error: Error) => void }> = [];
  private closed?: Error;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {}

  send(command: string): Promise<void> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      this.pending.push({ command, resolve, reject });
      this.child.stdin.write(`${command}\n`);
    });
  }

  answer(line: string): void {
    const next = this.pending.shift();
    if (!next) return;
    if (line === 'ok') next.resolve();
    else next.reject(new Error(`mock broker: "${next.command}" failed: ${line}`));
  }

  close(reason: Error): void {
    this.closed = reason;
    for (const waiting of this.pending.splice(0)) waiting.reject(reason);
  }
}

const brokerArg = (brokerId: number | 'all'): string => {
  if (brokerId === 'all') return '-1';
  if (!Number.isInteger(brokerId) || brokerId < 1) throw new Error(`no such broker: ${brokerId}`);
  return String(brokerId);
};

export const startMockKafka = async (options: { brokers?: number } = {}): Promise<MockKafka | MockKafkaSkipped> => {
  const count = options.brokers ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new Error(`brokers must be 1..64, got ${count}`);
  const binary = binaryOrSkip();
  if ('skipped' in binary) return binary;

  const child = spawn(binary.binary, [String(count)], { stdio: ['pipe', 'pipe', 'pipe'] });
  // Belt and braces with the child's own guards (EOF on stdin, PR_SET_PDEATHSIG): never outlive the worker.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const channel = new CommandChannel(child);
  const lines = createInterface({ input: child.stdout });

  const bootstrap = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`mock broker exited (${code ?? signal}) before it started: ${stderr}`)),
    );
  });
  let brokers: string[];
  try {
    brokers = (await bootstrap).trim().split(',');
  } catch (error) {
    process.removeListener('exit', killOnExit);
    child.kill('SIGKILL');
    throw error;
  }
  lines.on('line', (line) => channel.answer(line.trim()));
  child.once('exit', (code, signal) => channel.close(new Error(`mock broker exited (${code ?? signal}): ${stderr}`)));

  return {
    brokers,
    down: async (brokerId) => channel.send(`down ${brokerArg(brokerId)}`),
    up: async (brokerId) => channel.send(`up ${brokerArg(brokerId)}`),
    createTopic: async (name, partitions) => {
      if (!/^[A-Za-z0-9._-]{1,249}$/.test(name)) throw new Error(`invalid topic name: ${name}`);
      if (!Number.isInteger(partitions) || partitions < 1 || partitions > 10_000) {
        throw new Error(`partitions must be 1..10000, got ${partitions}`);
      }
      return channel.send(`topic ${name} ${partitions}`);
    },
    stop: async () => {
      process.removeListener('exit', killOnExit);
      child.stdin.end(); // EOF: the broker closes its listeners and exits
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
};

export const isSkipped = (kafka: MockKafka | MockKafkaSkipped): kafka is MockKafkaSkipped => 'skipped' in kafka;

/** Polls until the condition holds; fails with the description after the deadline. */
export const waitFor = async (
  condition: () => boolean | Promise<boolean>,
  description: string,
  timeoutMs = 20_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
