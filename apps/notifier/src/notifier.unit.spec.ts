import pino from 'pino';
import { InMemoryPublisher, type ReminderMessage } from '@app/messaging';
import { type Delivery, DeliveryError } from './delivery';
import { Notifier } from './notifier';
import { FakeSource, InMemoryDeliveredStore } from './testing/fakes';
import { aReminder } from './testing/reminders';

const now = new Date('2026-03-24T02:00:00.000Z');

/** A delivery that fails with the scripted errors in turn, then succeeds. */
const scripted = (...failures: Error[]) => {
  const delivered: ReminderMessage[] = [];
  const attempts: string[] = [];
  const deliver: Delivery = async (message) => {
    attempts.push(message.messageId);
    const failure = failures.shift();
    if (failure) throw failure;
    delivered.push(message);
  };
  return { deliver, delivered, attempts };
};

const setUp = (deliver: Delivery, maxAttempts = 3) => {
  const source = new FakeSource();
  const store = new InMemoryDeliveredStore();
  const deadLetters = new InMemoryPublisher();
  const notifier = new Notifier({
    source,
    deliver,
    store,
    deadLetters,
    deadLetterTopic: 'vwu.reminders.dlq',
    logger: pino({ level: 'silent' }),
    maxAttempts,
    backoff: { initialMs: 1, maxMs: 4 },
    clock: () => now,
  });
  return { source, store, deadLetters, notifier };
};

const retryable = (text = 'webhook answered 503') => new DeliveryError(text, false);

describe('Notifier', () => {
  it('delivers a reminder, stores its id, and lets the source commit it', async () => {
    const { deliver, delivered } = scripted();
    const { source, store, notifier } = setUp(deliver);
    await notifier.start();

    await expect(source.feed(JSON.stringify(aReminder('m-1')))).resolves.toBe('settled');
    expect(delivered).toEqual([aReminder('m-1')]);
    expect(store.outcomes.get('m-1')).toBe('delivered');
    expect(source.committed.map((r) => r.offset)).toEqual(['0']);
  });

  it('delivers a message id once, however often it comes', async () => {
    const { deliver, attempts } = scripted();
    const { source, notifier } = setUp(deliver);
    await notifier.start();
    await source.feed(JSON.stringify(aReminder('m-1')));
    await source.feed(JSON.stringify(aReminder('m-1', { step: 2 })));
    await source.feed(JSON.stringify(aReminder('m-2')));

    expect(attempts).toEqual(['m-1', 'm-2']);
    expect(source.committed).toHaveLength(3);
  });

  it('retries a failed delivery, beating the heartbeat between attempts, until it succeeds', async () => {
    const { deliver, attempts, delivered } = scripted(retryable(), new Error('socket hang up'));
    const { source, deadLetters, notifier } = setUp(deliver);
    await notifier.start();

    await expect(source.feed(JSON.stringify(aReminder('m-1')))).resolves.toBe('settled');
    expect(attempts).toEqual(['m-1', 'm-1', 'm-1']);
    expect(delivered).toHaveLength(1);
    expect(source.heartbeats).toBe(2);
    expect(deadLetters.published).toEqual([]);
  });

  it('dead-letters after the last attempt, with the original key, value and headers plus the reason, and moves on', async () => {
    const { deliver, attempts } = scripted(retryable(), retryable(), retryable('webhook answered 500'));
    const { source, store, deadLetters, notifier } = setUp(deliver, 3);
    await notifier.start();
    const value = JSON.stringify(aReminder('m-1'));

    await expect(source.feed(value, 'unit-hn', { 'event-id': 'm-1' })).resolves.toBe('settled');
    await source.feed(JSON.stringify(aReminder('m-2')));

    expect(attempts).toEqual(['m-1', 'm-1', 'm-1', 'm-2']);
    expect(deadLetters.published).toEqual([
      {
        topic: 'vwu.reminders.dlq',
        key: 'unit-hn',
        value,
        headers: {
          'event-id': 'm-1',
          'dlq-error': 'webhook answered 500',
          'dlq-attempts': '3',
          'dlq-origin': 'vwu.reminders/0/0',
          'dlq-failed-at': now.toISOString(),
        },
      },
    ]);
    expect([...store.outcomes]).toEqual([
      ['m-1', 'dead-lettered'],
      ['m-2', 'delivered'],
    ]);
  });

  it('dead-letters at once when the receiver refuses the message for good', async () => {
    const { deliver, attempts } = scripted(new DeliveryError('webhook answered 422', true));
    const { source, deadLetters, notifier } = setUp(deliver, 5);
    await notifier.start();
    await source.feed(JSON.stringify(aReminder('m-1')));

    expect(attempts).toEqual(['m-1']);
    expect(deadLetters.published.map((m) => m.headers['dlq-attempts'])).toEqual(['1']);
  });

  it('dead-letters a message it cannot parse without trying to deliver it', async () => {
    const { deliver, attempts } = scripted();
    const { source, store, deadLetters, notifier } = setUp(deliver);
    await notifier.start();
    await expect(source.feed('{"schema":"vwu.reminder.v1"', null)).resolves.toBe('settled');
    await source.feed(null, null);

    expect(attempts).toEqual([]);
    expect(store.outcomes.size).toBe(0);
    expect(deadLetters.published.map((m) => [m.key, m.value, m.headers['dlq-attempts']])).toEqual([
      ['', '{"schema":"vwu.reminder.v1"', '0'],
      ['', '', '0'],
    ]);
    expect(deadLetters.published[0].headers['dlq-error']).toMatch(/^unparseable: a reminder message must be JSON/);
    expect(source.committed).toHaveLength(2);
  });

  it('keeps trying the dead-letter topic while it is unavailable, and settles only once it took the message', async () => {
    const { deliver } = scripted(new DeliveryError('webhook answered 400', true));
    const { source, store, deadLetters, notifier } = setUp(deliver);
    await notifier.start();
    deadLetters.failNext(3);

    await expect(source.feed(JSON.stringify(aReminder('m-1')))).resolves.toBe('settled');
    expect(deadLetters.published).toHaveLength(1);
    expect(store.outcomes.get('m-1')).toBe('dead-lettered');
  });

  it('abandons a message when stopped while waiting to retry: nothing stored, nothing committed', async () => {
    let calls = 0;
    const { source, store, notifier } = setUp(async () => {
      calls += 1;
      throw retryable();
    }, 5);
    await notifier.start();
    const outcome = source.feed(JSON.stringify(aReminder('m-1')));
    await notifier.stop();

    await expect(outcome).resolves.toBe('abandoned');
    expect(calls).toBe(1);
    expect(store.outcomes.size).toBe(0);
    expect(source.committed).toEqual([]);
    expect(source.stopped).toBe(true);
  });

  it('takes no new record once stopped', async () => {
    const { deliver, attempts } = scripted();
    const { source, notifier } = setUp(deliver);
    await notifier.start();
    await notifier.stop();

    await expect(source.feed(JSON.stringify(aReminder('m-1')))).resolves.toBe('abandoned');
    expect(attempts).toEqual([]);
    expect(source.committed).toEqual([]);
  });
});
