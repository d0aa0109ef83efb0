import type Database from 'better-sqlite3';
import { WriteLock } from '../sqlite/write-lock';
import type { CheckpointStore } from './checkpoint-store';

/**
 * Checkpoints in the SQLite file. A projection in the same file calls `storeSync` inside the
 * transaction that writes its rows, so rows and checkpoint commit together.
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly select: Database.Statement<[string], number>;
  private readonly upsert: Database.Statement<[string, number, number]>;

  /** Pass the lock of the event store on the same file: a write here must wait its turn, not busy-wait. */
  constructor(
    private readonly db: Database.Database,
    private readonly lock: WriteLock = new WriteLock(),
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (
      name       TEXT PRIMARY KEY,
      position   INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    this.select = db.prepare<[string], number>('SELECT position FROM checkpoints WHERE name = ?').pluck();
    this.upsert = db.prepare<[string, number, number]>(
      `INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    );
  }

  async load(name: string): Promise<number> {
    return this.loadSync(name);
  }

  loadSync(name: string): number {
    return this.select.get(name) ?? 0;
  }

  async store(name: string, position: number): Promise<void> {
    await this.lock.run(() => this.storeSync(name, position));
  }

  storeSync(name: string, position: number): void {
    this.upsert.run(name, position, Date.now());
  }
}
