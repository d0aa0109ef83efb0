import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/eventstore';

const built = join(process.cwd(), 'dist', 'libs', 'eventstore', 'src', 'index.js');

// Each writer process reads the stream's revision and appends with it as the expected revision,
// retrying on a conflict: the optimistic-concurrency loop of the command handler, across processes.
const writer = `
const { SqliteEventStore, WrongExpectedRevisionError } = require(${JSON.stringify(built)});
const { randomUUID } = require('node:crypto');
(async () => {
  const [file, name, count] = process.argv.slice(1);
  const store = SqliteEventStore.open(file);
  let conflicts = 0;
  for (let i = 0; i < Number(count); i++) {
    for (;;) {
      const revision = await store.streamRevision('race-shared');
      const id = randomUUID();
      const metadata = { eventId: id, actor: { userId: name }, occurredAt: '2026-01-01T00:00:00Z', correlationId: id, causationId: id, schemaVersion: 1 };
      try {
        await store.appendToStream('race-shared', [{ id, type: 'Counted', data: { by: name, i }, metadata }], { expectedRevision: revision < 0 ? 'no_stream' : revision });
        break;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        conflicts++;
      }
    }
  }
  await store.close();
  process.stdout.write(JSON.stringify({ conflicts }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

const run = (file: string, name: string, count: number): Promise<{ conflicts: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', writer, file, name, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { conflicts: number }) : reject(new Error(err))));
  });

describe('SQLite event store shared by several processes', () => {
  it('lets exactly one writer win each revision: no event lost, none duplicated, revisions contiguous', async () => {
    if (!existsSync(built)) throw new Error(`${built} is missing: run "npm run build" first`);
    const dir = mkdtempSync(join(tmpdir(), 'es-multiprocess-'));
    const file = join(dir, 'events.db');
    try {
      await SqliteEventStore.open(file).close();
      const results = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((name) => run(file, name, 150)));
      const store = SqliteEventStore.open(file);
      const events = await store.readStream('race-shared');
      await store.close();
      expect(events).toHaveLength(600);
      expect(events.every((e, i) => e.revision === i)).toBe(true);
      for (const name of ['w1', 'w2', 'w3', 'w4']) {
        const mine = events.filter((e) => e.data.by === name).map((e) => e.data.i);
        expect(mine).toEqual(Array.from({ length: 150 }, (_, i) => i));
      }
      const positions = events.map((e) => e.position);
      expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
      console.log(`multi-process race: ${results.reduce((n, r) => n + r.conflicts, 0)} conflicts detected and retried`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
