import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AppendResult,
  type EventStore,
  InMemoryEventStore,
  type NewEvent,
  SqliteEventStore,
  WrongExpectedRevisionError,
} from '@app/eventstore';
import { type Command, type Decider, type Event, IllegalStateError, assertNever } from '@app/kernel';
import { CommandHandler, ConcurrencyRetriesExhaustedError } from './command-handler';

// A small example decider: a tally that must be opened before it counts, and counts at most to a limit.
type Opened = Event<'TallyOpened', { limit: number }>;
type Counted = Event<'TallyCounted', { by: number; total: number }>;
type TallyEvent = Opened | Counted;
type Open = Command<'OpenTally', { limit: number }>;
type Count = Command<'Count', { by: number }>;
type TallyCommand = Open | Count;
type Tally = { status: 'none' } | { status: 'open'; limit: number; total: number };

const tally: Decider<TallyCommand, TallyEvent, Tally> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'TallyOpened':
        return { status: 'open', limit: event.data.limit, total: 0 };
      case 'TallyCounted':
        return state.status === 'open' ? { ...state, total: event.data.total } : state;
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'OpenTally':
        return state.status === 'none' ? [{ type: 'TallyOpened', data: { limit: command.data.limit } }] : [];
      case 'Count': {
        if (state.status !== 'open') throw new IllegalStateError('TALLY.NOT_OPEN', 'Open the tally first');
        const total = state.total + command.data.by;
        if (total > state.limit) throw new IllegalStateError('TALLY.LIMIT', `Limit ${state.limit} would be passed`);
        return [{ type: 'TallyCounted', data: { by: command.data.by, total } }];
      }
      default:
        return assertNever(command);
    }
  },
};

let n = 0;
const meta = (commandId = `cmd-${++n}`) => ({
  commandId,
  actor: { userId: 'u-1', unitId: 'unit-7' },
  now: new Date('2026-03-14T02:00:00Z'),
  correlationId: 'corr-9',
});
const open = (limit = 100, commandId?: string): Open => ({ type: 'OpenTally', data: { limit }, metadata: meta(commandId) });
const count = (by = 1, commandId?: string): Count => ({ type: 'Count', data: { by }, metadata: meta(commandId) });

describe('CommandHandler', () => {
  let store: InMemoryEventStore;
  let handler: CommandHandler;
  beforeEach(() => {
    store = new InMemoryEventStore();
    handler = new CommandHandler(store, { schemaVersionOf: (type) => (type === 'TallyCounted' ? 2 : 1) });
  });

  it('folds the stream, decides and appends, recording actor, time, ids and schema version', async () => {
    await handler.handle(tally, 'tally-1', open());
    const result = await handler.handle(tally, 'tally-1', count(5, 'count-a'));
    expect(result).toMatchObject({ revision: 1, replayed: false, events: [{ type: 'TallyCounted', data: { by: 5, total: 5 } }] });
    const [, counted] = await store.readStream('tally-1');
    expect(counted.metadata).toEqual({
      eventId: counted.id,
      actor: { userId: 'u-1', unitId: 'unit-7' },
      occurredAt: '2026-03-14T02:00:00.000Z',
      correlationId: 'corr-9',
      causationId: 'count-a',
      commandId: 'count-a',
      schemaVersion: 2,
    });
    expect(result.position).toBe(counted.position);
  });

  it('answers a repeated command with its first result and writes nothing', async () => {
    await handler.handle(tally, 'tally-1', open());
    const first = await handler.handle(tally, 'tally-1', count(3, 'same-key'));
    await handler.handle(tally, 'tally-1', count(1));
    const head = await store.headPosition();
    const again = await handler.handle(tally, 'tally-1', count(3, 'same-key'));
    expect(again).toEqual({ ...first, replayed: true });
    expect(await store.headPosition()).toBe(head);
  });

  it('propagates a refusal and writes nothing', async () => {
    await expect(handler.handle(tally, 'tally-1', count())).rejects.toMatchObject({ code: 'TALLY.NOT_OPEN' });
    await handler.handle(tally, 'tally-1', open(2));
    await expect(handler.handle(tally, 'tally-1', count(3))).rejects.toMatchObject({
      code: 'TALLY.LIMIT',
      kind: 'illegal_state',
    });
    expect(await store.readStream('tally-1')).toHaveLength(1);
  });

  it('writes nothing for a command the decider finds already done', async () => {
    await handler.handle(tally, 'tally-1', open());
    const result = await handler.handle(tally, 'tally-1', open());
    expect(result).toMatchObject({ revision: 0, events: [], position: 0 });
    expect(await store.readStream('tally-1')).toHaveLength(1);
  });

  it('retries on a conflict, deciding again on the new state', async () => {
    await handler.handle(tally, 'tally-1', open(10));
    const racing = new RacingStore(store, async () => {
      await new CommandHandler(store).handle(tally, 'tally-1', count(4));
    });
    const result = await new CommandHandler(racing).handle(tally, 'tally-1', count(5));
    expect(racing.conflicts).toBe(1);
    expect(result.events[0].data).toEqual({ by: 5, total: 9 });
    expect((await store.readStream('tally-1')).map((e) => e.data)).toEqual([
      { limit: 10 },
      { by: 4, total: 4 },
      { by: 5, total: 9 },
    ]);
  });

  it('gives up with a conflict error after the bounded number of retries', async () => {
    await handler.handle(tally, 'tally-1', open(1000));
    const racing = new RacingStore(
      store,
      async () => {
        await new CommandHandler(store).handle(tally, 'tally-1', count(1));
      },
      Infinity,
    );
    const attempt = new CommandHandler(racing, { maxRetries: 3 }).handle(tally, 'tally-1', count(1));
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyRetriesExhaustedError);
    await expect(attempt).rejects.toMatchObject({ code: 'COMMAND.CONCURRENCY_RETRIES_EXHAUSTED', kind: 'conflict' });
    expect(racing.conflicts).toBe(4);
  });

  it('fails at once, without retrying, when the caller pinned a revision (If-Match) that is stale', async () => {
    await handler.handle(tally, 'tally-1', open());
    await handler.handle(tally, 'tally-1', count());
    await expect(handler.handle(tally, 'tally-1', count(), { expectedRevision: 0 })).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    const ok = await handler.handle(tally, 'tally-1', count(), { expectedRevision: 1 });
    expect(ok.revision).toBe(2);
  });

  it('writes fan-out events to other streams in the same append, and answers a repeat without writing', async () => {
    const fanOut = (decided: readonly TallyEvent[]) =>
      decided.map((e, i) => ({
        streamId: `echo-${i}`,
        events: [{ type: 'Echoed', data: { of: e.type } }],
        expectedRevision: 'no_stream' as const,
      }));
    const first = await handler.handle(tally, 'tally-1', open(5, 'open-fan'), { alongside: fanOut });
    expect(first.position).toBe(await store.headPosition());
    expect((await store.readStream('echo-0')).map((e) => [e.type, e.data, e.metadata.commandId])).toEqual([
      ['Echoed', { of: 'TallyOpened' }, 'open-fan'],
    ]);
    const head = await store.headPosition();
    expect(await handler.handle(tally, 'tally-1', open(5, 'open-fan'), { alongside: fanOut })).toEqual({
      ...first,
      replayed: true,
    });
    expect(await store.headPosition()).toBe(head);
  });

  it('writes nothing at all, and does not retry, when a fan-out stream conflicts', async () => {
    await store.appendToStream('echo-0', [
      {
        id: 'x',
        type: 'Echoed',
        data: {},
        metadata: { eventId: 'x', actor: { userId: 'u' }, occurredAt: '', correlationId: '', causationId: '', schemaVersion: 1 },
      },
    ]);
    const head = await store.headPosition();
    const attempt = handler.handle(tally, 'tally-1', open(), {
      alongside: () => [{ streamId: 'echo-0', events: [{ type: 'Echoed', data: {} }], expectedRevision: 'no_stream' }],
    });
    await expect(attempt).rejects.toMatchObject({ streamId: 'echo-0', code: 'EVENTSTORE.WRONG_EXPECTED_REVISION' });
    expect(await store.headPosition()).toBe(head);
  });

  it('decides a batch of new streams and appends them in one call; a repeat writes nothing', async () => {
    const items = ['a', 'b', 'c'].map((id, i) => ({ streamId: `tally-${id}`, command: open(10 + i, 'batch-1') }));
    const result = await handler.handleNewStreams(tally, items);
    expect(result).toMatchObject({ streams: 3, events: 3, replayed: false });
    expect((await store.readStream('tally-c'))[0].data).toEqual({ limit: 12 });
    const head = await store.headPosition();
    expect(await handler.handleNewStreams(tally, items)).toMatchObject({ replayed: true, position: result.position });
    expect(await store.headPosition()).toBe(head);
    await expect(
      handler.handleNewStreams(tally, [
        { streamId: 'tally-new', command: open(1) },
        { streamId: 'tally-a', command: open(1) },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream('tally-new')).toEqual([]);
  });

  describe('handleMany', () => {
    it('decides commands on many streams in order, appends them in one call, and reports refusals', async () => {
      await handler.handle(tally, 'tally-a', open(10));
      await handler.handle(tally, 'tally-b', open(3));
      const appends = jest.spyOn(store, 'appendToStreams');
      const result = await handler.handleMany(tally, [
        { streamId: 'tally-a', command: count(4, 'many-1') },
        { streamId: 'tally-b', command: count(5, 'many-2') },
        { streamId: 'tally-a', command: count(5, 'many-3') },
        { streamId: 'tally-c', command: count(1, 'many-4') },
      ]);
      expect(appends).toHaveBeenCalledTimes(1);
      expect(result).toMatchObject({ written: 2, unchanged: 0 });
      expect(result.refused.map((r) => [r.streamId, (r.error as IllegalStateError).code])).toEqual([
        ['tally-b', 'TALLY.LIMIT'],
        ['tally-c', 'TALLY.NOT_OPEN'],
      ]);
      expect((await store.readStream('tally-a')).map((e) => e.data)).toEqual([
        { limit: 10 },
        { by: 4, total: 4 },
        { by: 5, total: 9 },
      ]);
      expect(result.position).toBe(await store.headPosition());
    });

    it('skips a command id already in its stream, so a repeated batch writes nothing', async () => {
      await handler.handle(tally, 'tally-a', open(10));
      const batch = [{ streamId: 'tally-a', command: count(2, 'timer-1') }];
      expect(await handler.handleMany(tally, batch)).toMatchObject({ written: 1, unchanged: 0 });
      const head = await store.headPosition();
      expect(await handler.handleMany(tally, batch)).toMatchObject({ written: 0, unchanged: 1, position: 0 });
      expect(await store.headPosition()).toBe(head);
    });

    it('falls back to one command at a time when a concurrent writer moved a stream', async () => {
      await handler.handle(tally, 'tally-a', open(10));
      await handler.handle(tally, 'tally-b', open(10));
      let raced = false;
      const racing: EventStore = Object.assign(Object.create(store) as EventStore, {
        appendToStreams: async (requests: Parameters<EventStore['appendToStreams']>[0]) => {
          if (!raced) {
            raced = true;
            await new CommandHandler(store).handle(tally, 'tally-a', count(3));
          }
          return store.appendToStreams(requests);
        },
      });
      const result = await new CommandHandler(racing).handleMany(tally, [
        { streamId: 'tally-a', command: count(1, 'late-1') },
        { streamId: 'tally-b', command: count(2, 'late-2') },
      ]);
      expect(raced).toBe(true);
      expect(result).toMatchObject({ written: 2, refused: [] });
      expect((await store.readStream('tally-a')).map((e) => e.data)).toEqual([
        { limit: 10 },
        { by: 3, total: 3 },
        { by: 1, total: 4 },
      ]);
      expect((await store.readStream('tally-b')).map((e) => e.data)).toEqual([{ limit: 10 }, { by: 2, total: 2 }]);
    });
  });

  it('keeps every increment when many commands race on one stream in a real SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmd-'));
    const a = SqliteEventStore.open(join(dir, 'events.db'));
    const b = SqliteEventStore.open(join(dir, 'events.db'));
    try {
      const handlers = [new CommandHandler(a, { maxRetries: 50 }), new CommandHandler(b, { maxRetries: 50 })];
      await handlers[0].handle(tally, 'tally-1', open(1000));
      await Promise.all(Array.from({ length: 40 }, (_, i) => handlers[i % 2].handle(tally, 'tally-1', count(1))));
      const events = await a.readStream('tally-1');
      expect(events).toHaveLength(41);
      expect(events[40].data).toEqual({ by: 1, total: 40 });
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Lets another writer get in just before each append, as a concurrent request would. */
class RacingStore implements EventStore {
  conflicts = 0;
  private raced = 0;
  readonly atomicMultiStreamAppend = true;
  constructor(
    private readonly inner: EventStore,
    private readonly intruder: () => Promise<void>,
    private readonly times = 1,
  ) {}
  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: { expectedRevision?: number | 'any' | 'no_stream' | 'stream_exists' },
  ): Promise<AppendResult> {
    if (this.raced < this.times) {
      this.raced += 1;
      await this.intruder();
    }
    try {
      return await this.inner.appendToStream(streamId, events, options);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) this.conflicts += 1;
      throw error;
    }
  }
  appendToStreams: EventStore['appendToStreams'] = (r) => this.inner.appendToStreams(r);
  readStream: EventStore['readStream'] = (s, o) => this.inner.readStream(s, o);
  streamRevision: EventStore['streamRevision'] = (s) => this.inner.streamRevision(s);
  readAll: EventStore['readAll'] = (o) => this.inner.readAll(o);
  headPosition: EventStore['headPosition'] = () => this.inner.headPosition();
  subscribe: EventStore['subscribe'] = (o) => this.inner.subscribe(o);
  ping: EventStore['ping'] = () => this.inner.ping();
  close: EventStore['close'] = () => this.inner.close();
}
