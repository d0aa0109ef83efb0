import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../event-store.errors';
import type {
  AppendRequest,
  AppendResult,
  EventFeed,
  EventFilter,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
} from '../event-store.port';
import { type ExpectedRevision, NO_STREAM_REVISION, revisionMatches } from '../expected-revision';
import { PollingEventFeed } from '../polling-event-feed';
import type { EventMetadata, NewEvent, RecordedEvent } from '../recorded-event';
import { categoryOf } from '../stream-id';
import { Upcasters } from '../upcasters';
import { configureConnection, EVENTS_DDL, type SqliteDurability } from './sqlite-schema';
import { WriteLock } from './write-lock';

export type SqliteEventStoreOptions = Readonly<{
  durability?: SqliteDurability;
  busyTimeoutMs?: number;
  upcasters?: Upcasters;
  /** How often a live feed looks for events appended by other processes. */
  pollIntervalMs?: number;
  /** Shared with the read store's writer when both use the same file in this process. */
  writeLock?: WriteLock;
  /** How long a live feed gathers in-process appends before handing them over (default 10 ms). */
  feedLingerMs?: number;
}>;

type Row = [number, string, string, number, string, string, string, number];
const COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata, recorded_at';
const DEFAULT_READ_COUNT = 1000;

export class SqliteEventStore implements EventStore {
  readonly atomicMultiStreamAppend = true;
  private readonly appended = new EventEmitter();
  private readonly upcasters: Upcasters;
  private readonly pollIntervalMs: number;
  private readonly feedLingerMs: number;
  private readonly ownsConnection: boolean;
  readonly writeLock: WriteLock;
  private readonly filteredReads = new Map<string, Database.Statement>();
  private closed = false;

  private readonly lastRevision: Database.Statement<[string], number>;
  private readonly insert: Database.Statement;
  private readonly readForwards: Database.Statement;
  private readonly readBackwards: Database.Statement;
  private readonly readAllStmt: Database.Statement;
  private readonly head: Database.Statement<[], number>;
  private readonly appendAll: (requests: readonly AppendRequest[], now: number) => AppendResult[];

  /** Opens (and creates) the store in a file; pass ':memory:' for a throwaway store. */
  static open(path: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const db = new Database(path);
    configureConnection(db, options.durability ?? 'NORMAL', options.busyTimeoutMs ?? 5000);
    return new SqliteEventStore(db, options, true);
  }

  /** Uses a connection the caller configured, e.g. one shared with the read store. */
  constructor(
    readonly db: Database.Database,
    options: SqliteEventStoreOptions = {},
    ownsConnection = false,
  ) {
    this.ownsConnection = ownsConnection;
    this.upcasters = options.upcasters ?? new Upcasters();
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.feedLingerMs = options.feedLingerMs ?? 10;
    this.writeLock = options.writeLock ?? new WriteLock();
    this.appended.setMaxListeners(0);
    db.exec(EVENTS_DDL);
    this.lastRevision = db
      .prepare<[string], number>('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1')
      .pluck();
    this.insert = db.prepare(
      'INSERT INTO events (event_id, stream_id, revision, category, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.readForwards = db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`)
      .raw();
    this.readBackwards = db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`)
      .raw();
    this.readAllStmt = db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`)
      .raw();
    this.head = db.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck();
    // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
    this.appendAll = db.transaction((requests: readonly AppendRequest[], now: number) =>
      requests.map((request) => this.appendOne(request, now)),
    ).immediate;
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    return (await this.appendToStreams([{ streamId, events, expectedRevision: options.expectedRevision }]))[0];
  }

  async appendToStreams(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    this.assertOpen();
    if (requests.length === 0) return [];
    const results = await this.writeLock.run(() => this.appendAll(requests, Date.now()));
    this.appended.emit('appended');
    return results;
  }

  private appendOne(request: AppendRequest, now: number): AppendResult {
    if (request.events.length === 0) throw new Error(`Append to ${request.streamId} has no events`);
    const actual = this.lastRevision.get(request.streamId) ?? NO_STREAM_REVISION;
    const expected = request.expectedRevision ?? 'any';
    if (!revisionMatches(expected, actual)) {
      throw new WrongExpectedRevisionError(request.streamId, expected, actual);
    }
    const category = categoryOf(request.streamId);
    let revision = actual;
    let position = 0;
    for (const event of request.events) {
      revision += 1;
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata);
      try {
        position = Number(
          this.insert.run(event.id, request.streamId, revision, category, event.type, data, metadata, now).lastInsertRowid,
        );
      } catch (error) {
        throw isDuplicateEventId(error) ? new DuplicateEventIdError(event.id) : error;
      }
    }
    return { streamId: request.streamId, nextExpectedRevision: revision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const rows =
      options.direction === 'backwards'
        ? this.readBackwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount)
        : this.readForwards.all(streamId, options.fromRevision ?? 0, maxCount);
    return this.toEvents(rows as Row[]);
  }

  async streamRevision(streamId: string): Promise<number> {
    this.assertOpen();
    return this.lastRevision.get(streamId) ?? NO_STREAM_REVISION;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readRange(options.after ?? 0, Number.MAX_SAFE_INTEGER, options.maxCount ?? DEFAULT_READ_COUNT, options.filter);
  }

  /** Events in (after, upTo], at most maxCount, in global order. */
  private readRange(after: number, upTo: number, maxCount: number, filter?: EventFilter): RecordedEvent[] {
    const statement = filter && (filter.eventTypes || filter.categories) ? this.filteredRead(filter) : this.readAllStmt;
    const params: unknown[] = [after, upTo, ...(filter?.eventTypes ?? []), ...(filter?.categories ?? []), maxCount];
    if (statement === this.readAllStmt) params.splice(2, params.length - 3);
    return this.toEvents(statement.all(...params) as Row[]);
  }

  private filteredRead(filter: EventFilter): Database.Statement {
    const types = filter.eventTypes ?? [];
    const categories = filter.categories ?? [];
    const key = `${types.length}:${categories.length}`;
    let statement = this.filteredReads.get(key);
    if (!statement) {
      const clauses = ['position > ?', 'position <= ?'];
      if (filter.eventTypes) clauses.push(`type IN (${placeholders(types.length)})`);
      if (filter.categories) clauses.push(`category IN (${placeholders(categories.length)})`);
      // Pin the index: after ANALYZE, SQLite may prefer a rowid range scan, which reads every
      // event after the position instead of only the matching ones (measured: 8 µs → 950 µs).
      const index = filter.categories ? 'events_category_position' : 'events_type_position';
      statement = this.db
        .prepare(`SELECT ${COLUMNS} FROM events INDEXED BY ${index} WHERE ${clauses.join(' AND ')} ORDER BY position LIMIT ?`)
        .raw();
      this.filteredReads.set(key, statement);
    }
    return statement;
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.head.get() ?? 0;
  }

  subscribe(options: SubscribeOptions): EventFeed {
    const batchSize = options.batchSize ?? DEFAULT_READ_COUNT;
    return new PollingEventFeed({
      after: options.after,
      pollIntervalMs: this.pollIntervalMs,
      lingerMs: this.feedLingerMs,
      changes: this.appended,
      isClosed: () => this.closed,
      // Bounding each read by the head lets a filtered feed skip past events it does not want.
      read: async (after) => {
        const upTo = this.head.get() ?? 0;
        const events = this.readRange(after, upTo, batchSize, options.filter);
        const reachedEnd = events.length < batchSize;
        return { events, scannedTo: reachedEnd ? upTo : events[events.length - 1].position };
      },
    });
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.appended.emit('appended');
    if (this.ownsConnection) this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }

  private toEvents(rows: Row[]): RecordedEvent[] {
    const events = new Array<RecordedEvent>(rows.length);
    const upcast = !this.upcasters.isEmpty;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const event: RecordedEvent = {
        position: row[0],
        id: row[1],
        streamId: row[2],
        revision: row[3],
        type: row[4],
        data: JSON.parse(row[5]) as Record<string, unknown>,
        metadata: JSON.parse(row[6]) as EventMetadata,
        recordedAt: row[7],
      };
      events[i] = upcast ? this.upcasters.apply(event) : event;
    }
    return events;
  }
}

const placeholders = (count: number): string => new Array(count).fill('?').join(', ');

// Checked by code, not instanceof: the native addon builds its errors from whichever copy of
// better-sqlite3 registered its error class last (Jest loads one per test file).
const isDuplicateEventId = (error: unknown): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes('events.event_id');
};
