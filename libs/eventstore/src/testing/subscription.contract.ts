import type { EventStore } from '../event-store.port';
import type { RecordedEvent } from '../recorded-event';
import { InMemoryCheckpointStore } from '../subscriptions/checkpoint-store';
import { CheckpointedSubscription } from '../subscriptions/checkpointed-subscription';
import { newEvent, newEvents } from './event-fixtures';

export const waitUntil = async (
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/**
 * A read model whose rows and checkpoint commit together, as a projection's do:
 * a batch is applied whole or not at all.
 */
class TransactionalSink {
  rows: string[] = [];
  checkpoint = 0;
  apply(batch: readonly RecordedEvent[]): void {
    const staged = [...this.rows];
    for (const event of batch) if (event.position > this.checkpoint) staged.push(event.id);
    this.rows = staged;
    this.checkpoint = batch[batch.length - 1].position;
  }
}

type Phase = 'before-commit' | 'after-commit';

export const describeSubscriptionContract = (context: () => { store: EventStore; category: string }): void => {
  describe('subscriptions', () => {
    it('catches up from a position, then delivers new events live, in global order', async () => {
      const { store, category } = context();
      await store.appendToStream(`${category}-1`, newEvents('Counted', 5));
      const received: RecordedEvent[] = [];
      const feed = store.subscribe({ after: 0, filter: { categories: [category] }, batchSize: 2 });
      const consuming = (async () => {
        for await (const batch of feed) received.push(...batch);
      })();
      await waitUntil(() => received.length === 5, 10_000, 'catch-up');
      await store.appendToStream(`${category}-2`, newEvents('Counted', 2, 5));
      await store.appendToStream(`${category}-1`, newEvents('Counted', 1, 7));
      await waitUntil(() => received.length === 8, 10_000, 'live events');
      await feed.close();
      await consuming;
      expect(received.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const positions = received.map((e) => e.position);
      expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
    });

    it('delivers only the events its filter selects', async () => {
      const { store, category } = context();
      const feed = store.subscribe({
        after: await store.headPosition(),
        filter: { categories: [category], eventTypes: ['Wanted'] },
      });
      const received: string[] = [];
      const consuming = (async () => {
        for await (const batch of feed) received.push(...batch.map((e) => e.type));
      })();
      await store.appendToStream(`${category}-1`, [newEvent('Unwanted'), newEvent('Wanted')]);
      await store.appendToStream(`other${category}-1`, [newEvent('Wanted')]);
      await store.appendToStream(`${category}-2`, [newEvent('Wanted')]);
      await waitUntil(() => received.length === 2, 10_000, 'filtered events');
      await feed.close();
      await consuming;
      expect(received).toEqual(['Wanted', 'Wanted']);
    });

    const count = 7;
    const crashPoints: Array<[Phase, number]> = [];
    for (let k = 0; k < count; k++) crashPoints.push(['before-commit', k], ['after-commit', k]);

    it.each(crashPoints)('resumes exactly where it left off after a crash %s of event %i', async (phase, crashAt) => {
      const { store, category } = context();
      await store.appendToStream(`${category}-1`, newEvents('Counted', 4));
      await store.appendToStream(`${category}-2`, newEvents('Counted', count - 4, 4));
      const expected = (await store.readAll({ filter: { categories: [category] } })).map((e) => e.id);
      const sink = new TransactionalSink();
      const checkpoints = { load: async () => sink.checkpoint, store: async () => undefined };
      const errors: unknown[] = [];

      const crashing = new CheckpointedSubscription({
        name: 'contract',
        store,
        checkpoints,
        filter: { categories: [category] },
        batchSize: 3,
        handlerStoresCheckpoint: true,
        retryDelayMs: () => 60_000,
        onError: (error) => errors.push(error),
        handle: async (batch) => {
          const index = batch.findIndex((e) => e.id === expected[crashAt]);
          if (index >= 0 && phase === 'before-commit') throw new Error('crash before commit');
          sink.apply(batch);
          if (index >= 0) throw new Error('crash after commit');
        },
      });
      crashing.start();
      await waitUntil(() => errors.length === 1, 10_000, 'the crash');
      await crashing.stop();

      const restarted = new CheckpointedSubscription({
        name: 'contract',
        store,
        checkpoints,
        filter: { categories: [category] },
        batchSize: 3,
        handlerStoresCheckpoint: true,
        handle: async (batch) => sink.apply(batch),
      });
      restarted.start();
      await waitUntil(() => sink.rows.length >= count, 10_000, 'the replay');
      await restarted.stop();
      expect(sink.rows).toEqual(expected);
      expect(restarted.position).toBe((await store.readAll({ filter: { categories: [category] } }))[count - 1].position);
    });

    it('delivers every event at least once when the checkpoint is stored after processing', async () => {
      const { store, category } = context();
      await store.appendToStream(`${category}-1`, newEvents('Counted', 10));
      const checkpoints = new InMemoryCheckpointStore();
      const delivered: string[] = [];
      let crashed = false;
      const errors: unknown[] = [];
      const run = async (crashAfter?: number): Promise<void> => {
        const subscription = new CheckpointedSubscription({
          name: 'relay',
          store,
          checkpoints,
          filter: { categories: [category] },
          batchSize: 4,
          retryDelayMs: () => 60_000,
          onError: (error) => errors.push(error),
          handle: async (batch) => {
            delivered.push(...batch.map((e) => e.id));
            if (crashAfter !== undefined && !crashed && delivered.length >= crashAfter) {
              crashed = true;
              throw new Error('crash before the checkpoint');
            }
          },
        });
        const errorsBefore = errors.length;
        subscription.start();
        await waitUntil(() => errors.length > errorsBefore || new Set(delivered).size === 10, 10_000, 'delivery');
        await subscription.stop();
      };
      await run(8);
      expect(errors).toHaveLength(1);
      await run();
      const ids = (await store.readAll({ filter: { categories: [category] } })).map((e) => e.id);
      expect([...new Set(delivered)]).toEqual(ids);
      // The batch in flight at the crash (events 5 to 8) is delivered again; nothing before it is.
      expect(delivered).toHaveLength(14);
      expect(await checkpoints.load('relay')).toBe((await store.readAll({ filter: { categories: [category] } }))[9].position);
    });
  });
};
