import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';

const cli = join(process.cwd(), 'dist', 'apps', 'cli', 'src', 'rebuild.js');
const run = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });

describe('npm run rebuild', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'rebuild-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rebuilds every projection from the events, printing progress and a summary per projection', async () => {
    const store = SqliteEventStore.open(join(dataDir, 'engine.db'));
    for (let i = 0; i < 40; i++)
      await store.appendToStream(`unit-U${i}`, [newEvent('UnitRenamed', { name: `Đơn vị ${i}`, validFrom: '2026-01-01' })]);
    await store.close();

    const result = run(['--all'], dataDir);
    expect(result.status).toBe(0);
    const summaries = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { projection: string; events: number; position: number });
    expect(summaries.map((s) => s.projection)).toContain('audit-index');
    expect(summaries.find((s) => s.projection === 'audit-index')).toMatchObject({ events: 40, position: 40 });
    expect(result.stderr).toMatch(/audit-index \[█+\] 100\.0% 40\/40 · [\d,]+ events\/s/);

    const db = new Database(join(dataDir, 'engine.db'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM rm_audit').get()).toEqual({ n: 40 });
    expect(db.prepare("SELECT position FROM projection_checkpoints WHERE name = 'audit-index'").get()).toEqual({ position: 40 });
    db.close();

    // Again: the same rows, nothing doubled.
    expect(run(['--projection', 'audit-index'], dataDir).status).toBe(0);
    const again = new Database(join(dataDir, 'engine.db'), { readonly: true });
    expect(again.prepare('SELECT COUNT(*) AS n FROM rm_audit').get()).toEqual({ n: 40 });
    again.close();
  });

  it('refuses bad arguments with exit code 64 and says why', () => {
    const none = run([], dataDir);
    expect(none.status).toBe(64);
    expect(none.stderr).toContain('say --all or name a projection');
    const unknown = run(['--projection', 'nope'], dataDir);
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toContain('unknown projection nope');
  });
});
