import { DeadlineExceededError, START, UnavailableError } from '@kurrent/kurrentdb-client';
import type { RecordedEvent } from '../recorded-event';
import { InMemoryCheckpointStore } from '../subscriptions/checkpoint-store';
import { CheckpointedSubscription } from '../subscriptions/checkpointed-subscription';
import { newEvents } from '../testing/event-fixtures';
import { waitUntil } from '../testing/subscription.contract';
import { SubscriptionNotConfirmedError } from './kurrentdb-event-feed';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { toReadPosition } from './kurrentdb-mapping';
import { FakeKurrentDbClient } from './testing/fake-kurrentdb-client';

const unavailable = (): UnavailableError => new UnavailableError(undefined, 'connection reset by peer');

/** A subscription runner over the store whose retry pauses are recorded instead of waited out. */
const runner = (store: KurrentDbEventStore) => {
  const received: RecordedEvent[] = [];
  const delays: number[] = [];
  const errors: unknown[] = [];
  const checkpoints = new InMemoryCheckpointStore();
  const subscription = new CheckpointedSubscription({
    name: 'projection',
    store,
    checkpoints,
    filter: { categories: ['report'] },
    handle: async (batch) => void received.push(...batch),
    onError: (error) => errors.push(error),
    sleep: async (ms) => void delays.push(ms),
  });
  return { subscription, received, delays, errors, checkpoints };
};

describe('KurrentDB subscriptions after a lost connection', () => {
  it('resume from the last processed event after growing pauses, delivering every event once, in order', async () => {
    const client = new FakeKurrentDbClient();
    const store = await KurrentDbEventStore.over(client);
    await store.appendToStream('report-1', newEvents('Counted', 6));
    // The first subscription breaks after four events; the next two attempts fail at once (the node is
    // down, then the new leader is not ready); the fourth works.
    client.scriptSubscriptions(
      { failAfter: 4, error: unavailable() },
      { failAfter: 0, error: unavailable() },
      { failAfter: 0, error: new DeadlineExceededError(undefined, 'deadline exceeded') },
    );
    const { subscription, received, delays, errors } = runner(store);
    subscription.start();
    await waitUntil(() => received.length === 6, 5000, 'catch-up');
    await store.appendToStream('report-2', newEvents('Counted', 2, 6));
    await waitUntil(() => received.length === 8, 5000, 'live events');
    await subscription.stop();

    const all = await store.readAll({ filter: { categories: ['report'] } });
    expect(received.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(received.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Each attempt started after the last event processed: the fourth.
    expect(client.subscribeCalls.map((call) => call.fromPosition)).toEqual([
      START,
      toReadPosition(all[3].position),
      toReadPosition(all[3].position),
      toReadPosition(all[3].position),
    ]);
    expect(errors.map((e) => (e as Error).constructor.name)).toEqual([
      'UnavailableError',
      'UnavailableError',
      'DeadlineExceededError',
    ]);
    // One pause before every new attempt, each twice the one before: never a retry without a pause.
    expect(delays).toEqual([200, 400, 800]);
    await store.close();
  });

  it('fails a subscription the server neither confirms nor feeds, so it is restarted instead of hanging', async () => {
    const client = new FakeKurrentDbClient().scriptSubscriptions({ silent: true }, { silent: true });
    const store = await KurrentDbEventStore.over(client, { subscriptionConfirmTimeoutMs: 20 });
    await store.appendToStream('unit-1', newEvents('Registered', 1));
    const feed = store.subscribe({ after: 0, filter: { categories: ['report'] } });
    await expect(feed[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(SubscriptionNotConfirmedError);
    expect(client.subscriptions[0].unsubscribed).toBe(true);

    const { subscription, received, delays, errors } = runner(store);
    subscription.start();
    await waitUntil(() => errors.length === 1, 5000, 'the silent attempt to fail');
    await store.appendToStream('report-1', newEvents('Counted', 1));
    await waitUntil(() => received.length === 1, 5000, 'the event after the silent attempt');
    await subscription.stop();
    expect(errors[0]).toBeInstanceOf(SubscriptionNotConfirmedError);
    expect(delays).toEqual([200]);
    expect(client.subscribeCalls).toHaveLength(3);
    await store.close();
  });

  it('counts an event as confirmation, for servers that send events first', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const client = new FakeKurrentDbClient().scriptSubscriptions({ silent: true });
      const store = await KurrentDbEventStore.over(client, { subscriptionConfirmTimeoutMs: 20 });
      await store.appendToStream('report-1', newEvents('Counted', 1));
      const iterator = store.subscribe({ after: 0 })[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toHaveLength(1);
      // Long past the bound, the quiet feed is still waiting for events, not failed.
      const waiting = iterator.next();
      jest.advanceTimersByTime(1000);
      await store.appendToStream('report-1', newEvents('Counted', 1, 1));
      expect((await waiting).value).toHaveLength(1);
      await store.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads again after a passing failure, since a read changes nothing; a readiness probe reports it', async () => {
    const client = new FakeKurrentDbClient();
    const delays: number[] = [];
    const store = await KurrentDbEventStore.over(client, { retry: { sleep: async (ms) => void delays.push(ms) } });
    const events = newEvents('Counted', 3);
    await store.appendToStream('report-1', events);
    client.failReads(unavailable(), new DeadlineExceededError(undefined, 'deadline exceeded'));
    expect((await store.readStream('report-1')).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(delays).toEqual([200, 400]);
    client.failReads(unavailable());
    expect(await store.readAll({ filter: { categories: ['report'] } })).toHaveLength(3);
    client.failReads(unavailable());
    await expect(store.ping()).rejects.toBeInstanceOf(UnavailableError);
    await store.close();
  });
});
