import type Database from 'better-sqlite3';

/**
 * One table holds the log. `position` is the rowid: SQLite has a single writer, so rowids are
 * handed out and committed in the same order, and a reader never sees a gap fill in later.
 */
export const EVENTS_DDL = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY,
  event_id    TEXT    NOT NULL,
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  category    TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON events (event_id);
CREATE INDEX IF NOT EXISTS events_category_position ON events (category, position);
CREATE INDEX IF NOT EXISTS events_type_position ON events (type, position);
`;

export type SqliteDurability = 'NORMAL' | 'FULL';

/**
 * WAL lets readers run beside the writer. synchronous=NORMAL survives a process crash but may lose
 * the last commits on power loss; FULL survives both at the cost of an fsync per commit.
 */
export const configureConnection = (db: Database.Database, durability: SqliteDurability, busyTimeoutMs: number): void => {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability}`);
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  db.pragma('foreign_keys = ON');
};
