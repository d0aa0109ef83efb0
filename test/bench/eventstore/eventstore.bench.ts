/**
 * Event-store benchmark: the SQLite adapter behind the EventStore port, against
 *  - a raw better-sqlite3 baseline writing/reading the same schema (EVENTS_DDL) with the same pragmas, and
 *  - Emmett's SQLite event store (@event-driven-io/emmett-sqlite 0.38.5) as a peer.
 *
 * Run:  node --expose-gc -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *         test/bench/eventstore/eventstore.bench.ts [--quick] [--skip-emmett] [--markdown]
 * (BENCH_QUICK=1 is the same as --quick.) Results are in docs/benchmarks.md.
 */
import { cpus, tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import {
  appendToStream as emmettAppendToStream,
  createEventStoreSchema,
  getSQLiteEventStore,
  readMessagesBatch,
  type SQLiteConnection,
  type SQLiteEventStore,
  sqliteConnection,
} from '@event-driven-io/emmett-sqlite';
import {
  type AppendRequest,
  categoryOf,
  configureConnection,
  EVENTS_DDL,
  type ExpectedRevision,
  type NewEvent,
  SqliteEventStore,
} from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';
import {
  compare,
  type Failure,
  formatMarkdownTable,
  formatMs,
  formatOps,
  formatPercent,
  formatTable,
  formatTimes,
  isQuick,
  nowMs,
  pairedRatios,
  type RunOutcome,
  TempFiles,
  type Variant,
  type VariantResult,
} from '../harness';
import { nodeSqlite3Version, PeerGuard, setEmmettSynchronousNormal } from './emmett-peer';

// ---------------------------------------------------------------------------------------------
// Configuration

const argv = process.argv.slice(2);
const QUICK = isQuick(argv);
const SKIP_EMMETT = argv.includes('--skip-emmett');
const MARKDOWN = argv.includes('--markdown');

const SIZES = QUICK
  ? {
      rounds: 3,
      warmupRounds: 1,
      singleOps: 2_000,
      emmettSingleOps: 300,
      batchedEvents: 20_000,
      emmettBatchedEvents: 3_000,
      batchSize: 1_000,
      readEvents: 40_000,
      emmettReadEvents: 40_000,
      pageSize: 1_000,
    }
  : {
      rounds: 5,
      warmupRounds: 1,
      singleOps: 10_000,
      emmettSingleOps: 1_200,
      batchedEvents: 100_000,
      emmettBatchedEvents: 10_000,
      batchSize: 1_000,
      readEvents: 200_000,
      emmettReadEvents: 200_000,
      pageSize: 1_000,
    };

/** Warm-up rounds run a fifth of the work: enough to JIT the paths and warm the page cache. */
const scaled = (n: number, warmup: boolean): number => (warmup ? Math.max(1, Math.ceil(n / 5)) : n);

const DURABILITY = 'NORMAL' as const;
const BUSY_TIMEOUT_MS = 5000;
const CATEGORY = 'task';
const ONE_STREAM = `${CATEGORY}-one`;
const READ_STREAMS = 5_000;

const TARGETS = { single: 0.5, batched: 0.6, read: 0.6 } as const;

const files = new TempFiles('bench-eventstore-');
const guard = new PeerGuard();
const EMMETT = 'emmett';
/** Emmett with its own pragmas (synchronous = FULL), for its failure behaviour in single appends. */
const EMMETT_AS_SHIPPED = 'emmett-as-shipped';
if (!SKIP_EMMETT) setEmmettSynchronousNormal(true);

// ---------------------------------------------------------------------------------------------
// Fixtures (built once, outside any timed region; every round writes them to a fresh file)

const makeEvent = (i: number): NewEvent =>
  newEvent('TaskAssigned', { taskId: `task-${i}`, assigneeId: `user-${i % 97}`, unitId: `unit-${i % 13}`, n: i });

const maxWriteOps = Math.max(SIZES.singleOps, SIZES.batchedEvents);
const events: NewEvent[] = Array.from({ length: maxWriteOps }, (_, i) => makeEvent(i));
const streams: string[] = Array.from({ length: maxWriteOps }, (_, i) => `${CATEGORY}-${i}`);

type EmmettEvent = { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> };
const toEmmett = (event: NewEvent): EmmettEvent => ({
  type: event.type,
  data: event.data as Record<string, unknown>,
  metadata: event.metadata as unknown as Record<string, unknown>,
});
const emmettEvents: EmmettEvent[] = SKIP_EMMETT ? [] : events.map(toEmmett);

/** Batches of `batchSize` single-event requests, each to its own new stream. */
const requestBatches = (count: number): AppendRequest[][] => {
  const batches: AppendRequest[][] = [];
  for (let start = 0; start < count; start += SIZES.batchSize) {
    const batch: AppendRequest[] = [];
    for (let i = start; i < Math.min(count, start + SIZES.batchSize); i++) {
      batch.push({ streamId: streams[i], events: [events[i]], expectedRevision: 'no_stream' });
    }
    batches.push(batch);
  }
  return batches;
};

// ---------------------------------------------------------------------------------------------
// Raw better-sqlite3 baseline: same schema, same pragmas, no port

const INSERT_SQL =
  'INSERT INTO events (event_id, stream_id, revision, category, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const READ_PAGE_SQL =
  'SELECT position, event_id, stream_id, revision, type, data, metadata, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT ?';

type RawCtx = { path: string; db: Database.Database; insert: Database.Statement };

const openRaw = (path: string): RawCtx => {
  const db = new Database(path);
  configureConnection(db, DURABILITY, BUSY_TIMEOUT_MS);
  db.exec(EVENTS_DDL);
  return { path, db, insert: db.prepare(INSERT_SQL) };
};

const closeRaw = (ctx: RawCtx): void => {
  ctx.db.close();
  files.remove(ctx.path);
};

type PortCtx = { path: string; store: SqliteEventStore };

const openPort = (path: string): PortCtx => ({
  path,
  store: SqliteEventStore.open(path, { durability: DURABILITY, busyTimeoutMs: BUSY_TIMEOUT_MS }),
});

const closePort = async (ctx: PortCtx): Promise<void> => {
  await ctx.store.close();
  files.remove(ctx.path);
};

// ---------------------------------------------------------------------------------------------
// Emmett peer

type EmmettStoreCtx = { path: string; store: SQLiteEventStore };
type EmmettConnCtx = { path: string; conn: SQLiteConnection };

const openEmmettStore = async (path: string): Promise<EmmettStoreCtx> => {
  const store = getSQLiteEventStore({ fileName: path });
  // The store creates its schema on first use; do that outside the timed region.
  await store.readStream(`${CATEGORY}-schema`);
  return { path, store };
};

const openEmmettConnection = async (path: string): Promise<EmmettConnCtx> => {
  const conn = sqliteConnection({ fileName: path });
  await createEventStoreSchema(conn);
  return { path, conn };
};

const closeEmmettConnection = (ctx: EmmettConnCtx): Promise<void> =>
  new Promise((resolve) => {
    // SQLiteConnection.close() does not wait; give node-sqlite3 a tick to finish before removing the file.
    ctx.conn.close();
    setTimeout(() => {
      files.remove(ctx.path);
      resolve();
    }, 20);
  });

type FailureRecord = Omit<Failure, 'round'>;

/** Runs Emmett calls under the guard; errors emitted outside any call are added as failures too. */
const guarded = async (run: (failures: FailureRecord[]) => Promise<number>): Promise<RunOutcome> => {
  const failures: FailureRecord[] = [];
  guard.begin();
  try {
    const ops = await run(failures);
    return { ops, failures };
  } finally {
    guard.end();
    for (const message of guard.drainUncaught()) failures.push({ index: -1, message });
  }
};

// ---------------------------------------------------------------------------------------------
// a. Single appends, one commit per event

/** Emmett's store, one append per call; `synchronousNormal` false runs it as shipped (synchronous = FULL). */
const emmettSingleManyVariant = (name: string, synchronousNormal: boolean): Variant<EmmettStoreCtx> => ({
  name,
  prepare: () => {
    setEmmettSynchronousNormal(synchronousNormal);
    return openEmmettStore(files.file(`${name}-single-many`));
  },
  run: (ctx, _round, warmup) =>
    guarded(async (failures) => {
      setEmmettSynchronousNormal(synchronousNormal);
      const count = scaled(SIZES.emmettSingleOps, warmup);
      for (let i = 0; i < count; i++) {
        const result = await guard.call(() =>
          ctx.store.appendToStream(streams[i], [emmettEvents[i]], { expectedStreamVersion: 0n }),
        );
        if (!result.ok) failures.push({ index: i, message: result.message });
      }
      return count;
    }),
  cleanup: (ctx) => files.remove(ctx.path),
});

const emmettSingleOneVariant = (name: string, synchronousNormal: boolean): Variant<EmmettStoreCtx> => ({
  name,
  prepare: () => {
    setEmmettSynchronousNormal(synchronousNormal);
    return openEmmettStore(files.file(`${name}-single-one`));
  },
  run: (ctx, _round, warmup) =>
    guarded(async (failures) => {
      setEmmettSynchronousNormal(synchronousNormal);
      const count = scaled(SIZES.emmettSingleOps, warmup);
      let expectedStreamVersion = 0n;
      for (let i = 0; i < count; i++) {
        const result = await guard.call(() => ctx.store.appendToStream(ONE_STREAM, [emmettEvents[i]], { expectedStreamVersion }));
        if (result.ok) {
          expectedStreamVersion = result.value.nextExpectedStreamVersion;
        } else {
          failures.push({ index: i, message: result.message });
          // Carry on from what is really in the stream (the failed append may or may not have landed).
          const current = await guard.call(() => ctx.store.readStream(ONE_STREAM));
          if (current.ok) expectedStreamVersion = current.value.currentStreamVersion;
        }
      }
      return count;
    }),
  cleanup: (ctx) => files.remove(ctx.path),
});

const singleManyStreams = async () => {
  const n = SIZES.singleOps;
  return compare({
    title: `a1. single appends, one commit per event, 1 event to each of ${formatOps(n)} new streams`,
    rounds: SIZES.rounds,
    warmupRounds: SIZES.warmupRounds,
    variants: [
      {
        name: 'raw',
        prepare: () => openRaw(files.file('raw-single-many')),
        run: (ctx: RawCtx, _round: number, warmup: boolean) => {
          const count = scaled(n, warmup);
          // Autocommit: each INSERT is its own transaction, the cheapest way to commit one event at a time.
          for (let i = 0; i < count; i++) {
            const event = events[i];
            const stream = streams[i];
            ctx.insert.run(
              event.id,
              stream,
              0,
              categoryOf(stream),
              event.type,
              JSON.stringify(event.data),
              JSON.stringify(event.metadata),
              Date.now(),
            );
          }
          return { ops: count };
        },
        cleanup: closeRaw,
      },
      {
        name: 'port',
        prepare: () => openPort(files.file('port-single-many')),
        run: async (ctx: PortCtx, _round: number, warmup: boolean) => {
          const count = scaled(n, warmup);
          for (let i = 0; i < count; i++) {
            await ctx.store.appendToStream(streams[i], [events[i]], { expectedRevision: 'no_stream' });
          }
          return { ops: count };
        },
        cleanup: closePort,
      },
      ...(SKIP_EMMETT ? [] : [emmettSingleManyVariant(EMMETT, true), emmettSingleManyVariant(EMMETT_AS_SHIPPED, false)]),
    ],
  });
};

const singleOneStream = async () => {
  const n = SIZES.singleOps;
  return compare({
    title: `a2. single appends, one commit per event, ${formatOps(n)} events to one stream`,
    rounds: SIZES.rounds,
    warmupRounds: SIZES.warmupRounds,
    variants: [
      {
        name: 'raw',
        prepare: () => openRaw(files.file('raw-single-one')),
        run: (ctx: RawCtx, _round: number, warmup: boolean) => {
          const count = scaled(n, warmup);
          const category = categoryOf(ONE_STREAM);
          for (let i = 0; i < count; i++) {
            const event = events[i];
            ctx.insert.run(
              event.id,
              ONE_STREAM,
              i,
              category,
              event.type,
              JSON.stringify(event.data),
              JSON.stringify(event.metadata),
              Date.now(),
            );
          }
          return { ops: count };
        },
        cleanup: closeRaw,
      },
      {
        name: 'port',
        prepare: () => openPort(files.file('port-single-one')),
        run: async (ctx: PortCtx, _round: number, warmup: boolean) => {
          const count = scaled(n, warmup);
          let expectedRevision: ExpectedRevision = 'no_stream';
          for (let i = 0; i < count; i++) {
            const result = await ctx.store.appendToStream(ONE_STREAM, [events[i]], { expectedRevision });
            expectedRevision = result.nextExpectedRevision;
          }
          return { ops: count };
        },
        cleanup: closePort,
      },
      ...(SKIP_EMMETT ? [] : [emmettSingleOneVariant(EMMETT, true), emmettSingleOneVariant(EMMETT_AS_SHIPPED, false)]),
    ],
  });
};

// ---------------------------------------------------------------------------------------------
// b. Batched multi-stream appends

const batchedAppends = async () => {
  const n = SIZES.batchedEvents;
  const batchSize = SIZES.batchSize;
  const fullBatches = requestBatches(n);
  const warmupBatches = requestBatches(scaled(n, true));
  return compare({
    title: `b. batched appends: ${formatOps(n)} events, ${formatOps(batchSize)} single-event requests (new streams) per commit`,
    rounds: SIZES.rounds,
    warmupRounds: SIZES.warmupRounds,
    variants: [
      {
        name: 'raw',
        prepare: () => {
          const ctx = openRaw(files.file('raw-batched'));
          const insertRange = ctx.db.transaction((from: number, to: number, now: number) => {
            for (let i = from; i < to; i++) {
              const event = events[i];
              const stream = streams[i];
              ctx.insert.run(
                event.id,
                stream,
                0,
                categoryOf(stream),
                event.type,
                JSON.stringify(event.data),
                JSON.stringify(event.metadata),
                now,
              );
            }
          });
          return { ...ctx, insertRange };
        },
        run: (ctx: RawCtx & { insertRange: (from: number, to: number, now: number) => void }, _round, warmup) => {
          const count = scaled(n, warmup);
          for (let from = 0; from < count; from += batchSize)
            ctx.insertRange(from, Math.min(count, from + batchSize), Date.now());
          return { ops: count };
        },
        cleanup: closeRaw,
      },
      {
        name: 'port',
        prepare: () => openPort(files.file('port-batched')),
        run: async (ctx: PortCtx, _round: number, warmup: boolean) => {
          const batches = warmup ? warmupBatches : fullBatches;
          let ops = 0;
          for (const batch of batches) {
            await ctx.store.appendToStreams(batch);
            ops += batch.length;
          }
          return { ops };
        },
        cleanup: closePort,
      },
      ...(SKIP_EMMETT
        ? []
        : [
            {
              // Emmett has no multi-stream append. Its low-level exports let one connection wrap its
              // single-stream appendToStream calls in one transaction (withTransaction nests), which is
              // the closest it offers; the store object itself opens a connection per call.
              name: EMMETT,
              prepare: () => {
                setEmmettSynchronousNormal(true);
                return openEmmettConnection(files.file('emmett-batched'));
              },
              run: (ctx: EmmettConnCtx, _round: number, warmup: boolean) =>
                guarded(async (failures) => {
                  const count = scaled(SIZES.emmettBatchedEvents, warmup);
                  for (let from = 0, b = 0; from < count; from += batchSize, b++) {
                    const to = Math.min(count, from + batchSize);
                    const result = await guard.call(() =>
                      ctx.conn.withTransaction(async () => {
                        for (let i = from; i < to; i++) {
                          const appended = await emmettAppendToStream(ctx.conn, streams[i], CATEGORY, [emmettEvents[i]], {
                            expectedStreamVersion: 0n,
                          });
                          if (!appended.success) throw new Error(`append to ${streams[i]} was refused`);
                        }
                      }),
                    );
                    if (!result.ok) failures.push({ index: b, message: `batch of ${to - from}: ${result.message}` });
                  }
                  return count;
                }),
              cleanup: closeEmmettConnection,
            },
          ]),
    ],
  });
};

// ---------------------------------------------------------------------------------------------
// c. Reading the global log in pages

/** Fills one file through the port (the raw reader reads the very same file). */
const populatePort = async (path: string, count: number): Promise<number> => {
  const start = nowMs();
  const store = SqliteEventStore.open(path, { durability: DURABILITY });
  for (let from = 0; from < count; from += SIZES.batchSize) {
    const batch: AppendRequest[] = [];
    for (let i = from; i < Math.min(count, from + SIZES.batchSize); i++) {
      batch.push({ streamId: `${CATEGORY}-${i % READ_STREAMS}`, events: [makeEvent(i)], expectedRevision: 'any' });
    }
    await store.appendToStreams(batch);
  }
  await store.close();
  return nowMs() - start;
};

/** Fills an Emmett file through Emmett's own append (multi-event appends, to keep it quick). */
const populateEmmett = async (path: string, count: number): Promise<number> => {
  const start = nowMs();
  const { conn } = await openEmmettConnection(path);
  const perAppend = 500;
  for (let from = 0, s = 0; from < count; from += perAppend, s++) {
    const batch: EmmettEvent[] = [];
    for (let i = from; i < Math.min(count, from + perAppend); i++) batch.push(toEmmett(makeEvent(i)));
    const result = await emmettAppendToStream(conn, `${CATEGORY}-${s}`, CATEGORY, batch, { expectedStreamVersion: 0n });
    if (!result.success) throw new Error('populating Emmett failed');
  }
  await new Promise((resolve) => setTimeout(resolve, 0));
  conn.close();
  return nowMs() - start;
};

const readGlobalLog = async () => {
  const n = SIZES.readEvents;
  const pageSize = SIZES.pageSize;
  const portPath = files.file('read-port');
  const emmettPath = files.file('read-emmett');
  console.log(`\n(populating ${formatOps(n)} events for the read benchmark…)`);
  const portFill = await populatePort(portPath, n);
  const emmettFill = SKIP_EMMETT ? 0 : await populateEmmett(emmettPath, SIZES.emmettReadEvents);
  console.log(
    `  port file filled in ${formatMs(portFill)}${SKIP_EMMETT ? '' : `, Emmett file (${formatOps(SIZES.emmettReadEvents)}) in ${formatMs(emmettFill)}`}`,
  );

  let sink = 0;
  const results = await compare({
    title: `c. read the global log: ${formatOps(n)} events in pages of ${formatOps(pageSize)}`,
    rounds: SIZES.rounds,
    warmupRounds: SIZES.warmupRounds,
    variants: [
      {
        name: 'raw',
        prepare: () => {
          const db = new Database(portPath);
          configureConnection(db, DURABILITY, BUSY_TIMEOUT_MS);
          return { db, page: db.prepare(READ_PAGE_SQL).raw() };
        },
        run: (ctx: { db: Database.Database; page: Database.Statement }, _round: number, warmup: boolean) => {
          const limit = scaled(n, warmup);
          let after = 0;
          let read = 0;
          for (;;) {
            const rows = ctx.page.all(after, pageSize) as [number, string, string, number, string, string, string, number][];
            for (let i = 0; i < rows.length; i++) {
              const row = rows[i];
              const data = JSON.parse(row[5]) as { n: number };
              const metadata = JSON.parse(row[6]) as { schemaVersion: number };
              sink += data.n + metadata.schemaVersion;
            }
            read += rows.length;
            if (rows.length < pageSize || read >= limit) break;
            after = rows[rows.length - 1][0];
          }
          if (!warmup && read !== n) throw new Error(`raw read ${read} events, expected ${n}`);
          return { ops: read };
        },
        cleanup: (ctx: { db: Database.Database }) => {
          ctx.db.close();
        },
      },
      {
        name: 'port',
        prepare: () => SqliteEventStore.open(portPath, { durability: DURABILITY, busyTimeoutMs: BUSY_TIMEOUT_MS }),
        run: async (store: SqliteEventStore, _round: number, warmup: boolean) => {
          const limit = scaled(n, warmup);
          let after = 0;
          let read = 0;
          for (;;) {
            const page = await store.readAll({ after, maxCount: pageSize });
            for (let i = 0; i < page.length; i++) sink += (page[i].data.n as number) + page[i].metadata.schemaVersion;
            read += page.length;
            if (page.length < pageSize || read >= limit) break;
            after = page[page.length - 1].position;
          }
          if (!warmup && read !== n) throw new Error(`port read ${read} events, expected ${n}`);
          return { ops: read };
        },
        cleanup: (store: SqliteEventStore) => store.close(),
      },
      ...(SKIP_EMMETT
        ? []
        : [
            {
              // The store object has no global read; the package exports readMessagesBatch (what its
              // consumers poll with), which takes a connection.
              name: EMMETT,
              prepare: () => ({ conn: sqliteConnection({ fileName: emmettPath }) }),
              run: (ctx: { conn: SQLiteConnection }, _round: number, warmup: boolean) =>
                guarded(async (failures) => {
                  const limit = scaled(SIZES.emmettReadEvents, warmup);
                  let after = 0n;
                  let read = 0;
                  for (let p = 0; ; p++) {
                    const result = await guard.call(() => readMessagesBatch(ctx.conn, { after, batchSize: pageSize }));
                    if (!result.ok) {
                      failures.push({ index: p, message: result.message });
                      break;
                    }
                    const { messages, currentGlobalPosition, areEventsLeft } = result.value;
                    for (let i = 0; i < messages.length; i++) {
                      const message = messages[i] as unknown as EmmettEvent;
                      sink += (message.data.n as number) + (message.metadata.schemaVersion as number);
                    }
                    read += messages.length;
                    if (!areEventsLeft || read >= limit) break;
                    after = currentGlobalPosition;
                  }
                  return read;
                }),
              cleanup: (ctx: { conn: SQLiteConnection }) => ctx.conn.close(),
            },
          ]),
    ],
  });
  if (sink === 42) console.log(''); // keeps the parsed values alive
  await new Promise((resolve) => setTimeout(resolve, 20));
  files.remove(portPath);
  files.remove(emmettPath);
  return results;
};

// ---------------------------------------------------------------------------------------------
// Report

type Row = {
  measurement: string;
  key: keyof typeof TARGETS;
  results: Map<string, VariantResult>;
};

const rate = (results: Map<string, VariantResult>, name: string): number => results.get(name)?.medianRate ?? Number.NaN;

const sqliteVersion = (): string => {
  const db = new Database(':memory:');
  try {
    return db.prepare('SELECT sqlite_version()').pluck().get() as string;
  } finally {
    db.close();
  }
};

const main = async (): Promise<void> => {
  const started = nowMs();
  const cpu = cpus();
  console.log('Event-store benchmark');
  console.log(
    `  node ${process.version}, ${process.platform}/${process.arch}, ${cpu.length} x ${cpu[0]?.model ?? 'unknown cpu'}, temp dir ${tmpdir()}`,
  );
  console.log(
    `  better-sqlite3 (SQLite ${sqliteVersion()}), ${SKIP_EMMETT ? 'Emmett skipped' : `Emmett 0.38.5 on node-sqlite3 (SQLite ${nodeSqlite3Version()})`}`,
  );
  console.log(
    `  mode ${QUICK ? 'QUICK' : 'full'}: ${SIZES.warmupRounds} warm-up round(s) at 1/5 size, ${SIZES.rounds} measured rounds, medians; ` +
      `journal_mode=WAL, synchronous=${DURABILITY}, fresh temp files`,
  );
  if (!(globalThis as { gc?: unknown }).gc) console.log('  (start node with --expose-gc to collect garbage between runs)');

  const rows: Row[] = [
    {
      measurement: `single appends, 1 event to each of ${formatOps(SIZES.singleOps)} streams`,
      key: 'single',
      results: await singleManyStreams(),
    },
    {
      measurement: `single appends, ${formatOps(SIZES.singleOps)} events to one stream`,
      key: 'single',
      results: await singleOneStream(),
    },
    {
      measurement: `appendToStreams, ${formatOps(SIZES.batchSize)} requests x 1 event per call, ${formatOps(SIZES.batchedEvents)} events`,
      key: 'batched',
      results: await batchedAppends(),
    },
    {
      measurement: `readAll pages of ${formatOps(SIZES.pageSize)}, ${formatOps(SIZES.readEvents)} events`,
      key: 'read',
      results: await readGlobalLog(),
    },
  ];

  const rawHeaders = [
    'measurement',
    'port ops/s',
    'raw ops/s',
    'port/raw',
    'per-round port/raw: median (min-max)',
    'target',
    'met?',
  ];
  const rawRows = rows.map((row) => {
    const ratio = rate(row.results, 'port') / rate(row.results, 'raw');
    const paired = pairedRatios(row.results.get('port')!, row.results.get('raw')!);
    const target = TARGETS[row.key];
    return [
      row.measurement,
      formatOps(rate(row.results, 'port')),
      formatOps(rate(row.results, 'raw')),
      formatPercent(ratio),
      `${formatPercent(paired.median)} (${formatPercent(paired.min)}-${formatPercent(paired.max)})`,
      `>= ${formatPercent(target)}`,
      ratio >= target ? 'yes' : 'NO',
    ];
  });
  console.log('\n== Summary: port vs raw better-sqlite3 (medians; ops = events)');
  console.log(formatTable(rawHeaders, rawRows));

  const emmettHeaders = [
    'measurement',
    'Emmett variant',
    'port ops/s',
    'Emmett ops/s',
    'port/Emmett',
    'faster?',
    'Emmett API used',
    'Emmett ops/round',
    'Emmett failures',
  ];
  const emmettApi = {
    single: 'store.appendToStream',
    batched: 'appendToStream(connection) x 1000 in withTransaction',
    read: 'readMessagesBatch(connection)',
  } as const;
  const emmettEntries = SKIP_EMMETT
    ? []
    : rows.flatMap((row) =>
        [EMMETT, EMMETT_AS_SHIPPED]
          .filter((name) => row.results.has(name))
          .map((name) => ({ row, name, emmett: row.results.get(name)! })),
      );
  const variantLabel = (name: string): string => (name === EMMETT ? 'synchronous=NORMAL' : 'as shipped (FULL)');
  const emmettRows = emmettEntries.map(({ row, name, emmett }) => {
    const ratio = rate(row.results, 'port') / emmett.medianRate;
    const measured = emmett.failures.filter((failure) => failure.round >= 0).length;
    const warmup = emmett.failures.length - measured;
    return [
      row.measurement,
      variantLabel(name),
      formatOps(rate(row.results, 'port')),
      formatOps(emmett.medianRate),
      formatTimes(ratio),
      ratio > 1 ? 'yes' : 'NO',
      emmettApi[row.key],
      formatOps(emmett.ops),
      `${measured} failed call(s) in ${SIZES.rounds} rounds${warmup ? ` (+${warmup} in warm-up)` : ''}`,
    ];
  });
  if (!SKIP_EMMETT) {
    console.log('\n== Summary: port vs Emmett SQLite 0.38.5 (medians; ops = events)');
    console.log('   (Emmett runs fewer operations per round where it is slow: see "Emmett ops/round"; rates are per second)');
    console.log(formatTable(emmettHeaders, emmettRows));

    const failures = emmettEntries.flatMap(({ row, name, emmett }) =>
      emmett.failures.map((failure) => ({ measurement: `${row.measurement} [${variantLabel(name)}]`, ...failure })),
    );
    console.log(`\n== Emmett failures: ${failures.length} (warm-up included)`);
    for (const failure of failures.slice(0, 40)) {
      const round = failure.round < 0 ? 'warm-up' : `round ${failure.round + 1}`;
      console.log(`  ${failure.measurement} | ${round} | op #${failure.index} | ${failure.message}`);
    }
    if (failures.length > 40) console.log(`  … and ${failures.length - 40} more`);
    console.log(`  (Emmett wrote ${guard.suppressedConsoleLogs} error log line(s) to console.log; muted during its runs)`);
  }

  if (MARKDOWN) {
    console.log('\n== Markdown');
    console.log(formatMarkdownTable(rawHeaders, rawRows));
    if (!SKIP_EMMETT) console.log(`\n${formatMarkdownTable(emmettHeaders, emmettRows)}`);
  }
  console.log(`\nTotal time ${formatMs(nowMs() - started)}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
