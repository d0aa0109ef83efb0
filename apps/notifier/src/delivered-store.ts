import Database from 'better-sqlite3';

export type DeliveryOutcome = 'delivered' | 'dead-lettered';

/** The message ids the notifier has settled, so a message that comes again is not sent twice. */
export interface DeliveredStore {
  has(messageId: string): boolean;
  record(messageId: string, outcome: DeliveryOutcome, at: Date): void;
  close(): void;
}

/**
 * Settled ids in a small SQLite file. Rows older than the retention are dropped on open: by then
 * the topic itself no longer holds the message (Kafka keeps 7 days unless told otherwise).
 */
export class SqliteDeliveredStore implements DeliveredStore {
  private readonly hasStatement: Database.Statement<[string], unknown>;
  private readonly recordStatement: Database.Statement<[string, string, string]>;

  private constructor(private readonly db: Database.Database) {
    this.hasStatement = db.prepare('SELECT 1 FROM delivered WHERE message_id = ?');
    this.recordStatement = db.prepare('INSERT OR IGNORE INTO delivered (message_id, outcome, at) VALUES (?, ?, ?)');
  }

  static open(file: string, options: { now: Date; retentionDays?: number }): SqliteDeliveredStore {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // The offset is committed right after a record: it must be on disk first, even if power fails.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS delivered (
      message_id TEXT PRIMARY KEY,
      outcome TEXT NOT NULL,
      at TEXT NOT NULL
    ) WITHOUT ROWID`);
    const cutoff = new Date(options.now.getTime() - (options.retentionDays ?? 30) * 86_400_000);
    db.prepare('DELETE FROM delivered WHERE at < ?').run(cutoff.toISOString());
    return new SqliteDeliveredStore(db);
  }

  has(messageId: string): boolean {
    return this.hasStatement.get(messageId) !== undefined;
  }

  record(messageId: string, outcome: DeliveryOutcome, at: Date): void {
    this.recordStatement.run(messageId, outcome, at.toISOString());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
