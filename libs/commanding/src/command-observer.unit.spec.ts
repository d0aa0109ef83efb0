import { type EventStore, InMemoryEventStore, WrongExpectedRevisionError } from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';
import { type Command, type Decider, type Event, IllegalStateError } from '@app/kernel';
import { CommandHandler, ConcurrencyRetriesExhaustedError } from './command-handler';
import type { CommandObserver, CommandOutcome } from './command-observer';

// A counter that refuses to go past 3: enough to make a command succeed, be refused or race.
type Bumped = Event<'Bumped', { to: number }>;
type Bump = Command<'Bump', Record<string, never>>;
type Open = Command<'Open', Record<string, never>>;
const counter: Decider<Bump | Open, Bumped, number> = {
  initialState: () => 0,
  evolve: (_state, event) => event.data.to,
  decide: (command, state) => {
    if (command.type === 'Open') return [{ type: 'Bumped', data: { to: 0 } }];
    if (state >= 3) throw new IllegalStateError('COUNTER.FULL', 'The counter is at 3');
    return [{ type: 'Bumped', data: { to: state + 1 } }];
  },
};

let n = 0;
const meta = (commandId = `cmd-${++n}`) => ({ commandId, actor: { userId: 'u-1' }, now: new Date('2026-03-14T02:00:00Z') });
const bump = (commandId?: string): Bump => ({ type: 'Bump', data: {}, metadata: meta(commandId) });
const open = (commandId?: string): Open => ({ type: 'Open', data: {}, metadata: meta(commandId) });

/** Records what the handler reports: `type outcome ×count` lines, and the types retried. */
class Recorder implements CommandObserver {
  readonly lines: string[] = [];
  readonly retries: string[] = [];
  readonly seconds: number[] = [];
  settled(type: string, outcome: CommandOutcome, seconds: number, count: number): void {
    this.lines.push(`${type} ${outcome} ×${count}`);
    this.seconds.push(seconds);
  }
  retried(type: string): void {
    this.retries.push(type);
  }
}

/** The store, with another writer appending to `counter-1` just before each of our next `times` appends. */
const racing = (store: EventStore, times: number): EventStore => {
  let left = times;
  const intrude = async () => {
    if (left-- > 0) await store.appendToStream('counter-1', [newEvent('Bumped', { to: 0 })]);
  };
  return Object.assign(Object.create(store) as EventStore, {
    appendToStream: async (...args: Parameters<EventStore['appendToStream']>) => {
      await intrude();
      return store.appendToStream(...args);
    },
    appendToStreams: async (requests: Parameters<EventStore['appendToStreams']>[0]) => {
      await intrude();
      return store.appendToStreams(requests);
    },
  });
};

describe('CommandHandler observer', () => {
  let store: InMemoryEventStore;
  let seen: Recorder;
  let handler: CommandHandler;
  beforeEach(async () => {
    store = new InMemoryEventStore();
    await store.appendToStream('counter-1', [newEvent('Bumped', { to: 2 })]);
    seen = new Recorder();
    handler = new CommandHandler(store, { observer: seen });
  });

  it('reports a command that raced once as one retry, then one ok with its duration', async () => {
    // A clock that moves 250 ms each time it is read: read once when the command starts, once when it ends.
    let ms = 1_000;
    const monotonicMs = () => (ms += 250) - 250;
    const result = await new CommandHandler(racing(store, 1), { observer: seen, monotonicMs }).handle(
      counter,
      'counter-1',
      bump(),
    );
    expect(result.events.map((e) => e.data)).toEqual([{ to: 1 }]); // decided again on the intruder's 0
    expect(seen.retries).toEqual(['Bump']);
    expect(seen.lines).toEqual(['Bump ok ×1']);
    expect(seen.seconds).toEqual([0.25]);
  });

  it('reports each retry, then a conflict when the handler gives up', async () => {
    const giving = new CommandHandler(racing(store, Infinity), { observer: seen, maxRetries: 2 });
    await expect(giving.handle(counter, 'counter-1', bump())).rejects.toBeInstanceOf(ConcurrencyRetriesExhaustedError);
    expect(seen.retries).toEqual(['Bump', 'Bump']);
    expect(seen.lines).toEqual(['Bump conflict ×1']);
  });

  it('reports a stale If-Match as a precondition failure, without a retry', async () => {
    await expect(handler.handle(counter, 'counter-1', bump(), { expectedRevision: 5 })).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect(seen.lines).toEqual(['Bump precondition ×1']);
    expect(seen.retries).toEqual([]);
  });

  it('reports a refusal by the decider as rejected, and a repeated command as replayed', async () => {
    await handler.handle(counter, 'counter-1', bump('third'));
    await expect(handler.handle(counter, 'counter-1', bump())).rejects.toMatchObject({ code: 'COUNTER.FULL' });
    await handler.handle(counter, 'counter-1', bump('third'));
    expect(seen.lines).toEqual(['Bump ok ×1', 'Bump rejected ×1', 'Bump replayed ×1']);
  });

  it('reports a failing store as an error, and a conflict on a fan-out stream as a conflict', async () => {
    const broken = Object.assign(Object.create(store) as EventStore, {
      readStream: () => Promise.reject(new Error('disk on fire')),
    });
    await expect(new CommandHandler(broken, { observer: seen }).handle(counter, 'c-2', open())).rejects.toThrow('disk on fire');
    await expect(
      handler.handle(counter, 'c-3', open(), {
        alongside: () => [{ streamId: 'counter-1', events: [{ type: 'Echo', data: {} }], expectedRevision: 'no_stream' }],
      }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(seen.lines).toEqual(['Open error ×1', 'Open conflict ×1']);
  });

  it('never lets a failing observer fail the command', async () => {
    const throwing: CommandObserver = {
      settled: () => {
        throw new Error('metrics broke');
      },
      retried: () => {
        throw new Error('metrics broke');
      },
    };
    const result = await new CommandHandler(racing(store, 1), { observer: throwing }).handle(counter, 'counter-1', bump());
    expect(result.events).toHaveLength(1);
  });

  it('counts each command of a batch of new streams: ok, then replayed on a repeat, conflict when a stream exists', async () => {
    const items = ['a', 'b', 'c'].map((id) => ({ streamId: `c-${id}`, command: open('batch-1') }));
    await handler.handleNewStreams(counter, items);
    await handler.handleNewStreams(counter, items);
    await expect(handler.handleNewStreams(counter, [{ streamId: 'counter-1', command: open() }])).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect(seen.lines).toEqual(['Open ok ×3', 'Open replayed ×3', 'Open conflict ×1']);
  });

  it('counts each command of a handleMany batch by outcome, once', async () => {
    await handler.handle(counter, 'c-2', open());
    seen.lines.length = 0;
    const result = await handler.handleMany(counter, [
      { streamId: 'counter-1', command: bump('m-1') }, // 2 → 3
      { streamId: 'counter-1', command: bump('m-2') }, // full: refused
      { streamId: 'c-2', command: bump('m-3') },
      { streamId: 'c-2', command: bump('m-3') }, // the same command again
    ]);
    expect(result).toMatchObject({ written: 2, unchanged: 1 });
    expect(seen.lines.sort()).toEqual(['Bump ok ×2', 'Bump rejected ×1', 'Bump replayed ×1']);
    expect(seen.retries).toEqual([]);
  });

  it('in a handleMany batch that raced, counts a retry per command it was writing, then each command once', async () => {
    await handler.handle(counter, 'c-2', open());
    seen.lines.length = 0;
    const result = await new CommandHandler(racing(store, 1), { observer: seen }).handleMany(counter, [
      { streamId: 'counter-1', command: bump('r-1') },
      { streamId: 'c-2', command: bump('r-2') },
    ]);
    expect(result).toMatchObject({ written: 2, refused: [] });
    expect(seen.retries).toEqual(['Bump', 'Bump']);
    expect(seen.lines).toEqual(['Bump ok ×1', 'Bump ok ×1']);
  });
});
