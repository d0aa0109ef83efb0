import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { InMemoryPublisher } from '@app/messaging';
import { SqliteDeliveredStore } from './delivered-store';
import { Notifier } from './notifier';
import { FakeSource } from './testing/fakes';
import { aReminder } from './testing/reminders';

describe('SqliteDeliveredStore on a real file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'notifier-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const now = new Date('2026-03-24T02:00:00.000Z');

  it('remembers settled ids across a reopen, keeping the first outcome', () => {
    const file = join(dir, 'notifier.sqlite');
    const first = SqliteDeliveredStore.open(file, { now });
    first.record('m-1', 'delivered', now);
    first.record('m-1', 'dead-lettered', now);
    first.close();

    const second = SqliteDeliveredStore.open(file, { now });
    expect(second.has('m-1')).toBe(true);
    expect(second.has('m-2')).toBe(false);
    second.close();
  });

  it('forgets ids older than the retention when it opens', () => {
    const file = join(dir, 'notifier.sqlite');
    const store = SqliteDeliveredStore.open(file, { now });
    store.record('old', 'delivered', new Date('2026-02-01T00:00:00Z'));
    store.record('recent', 'delivered', new Date('2026-03-20T00:00:00Z'));
    store.close();

    const reopened = SqliteDeliveredStore.open(file, { now, retentionDays: 30 });
    expect([reopened.has('old'), reopened.has('recent')]).toEqual([false, true]);
    reopened.close();
  });

  it('keeps a notifier that crashed after delivering, before its offset was committed, from delivering again', async () => {
    const file = join(dir, 'notifier.sqlite');
    const value = JSON.stringify(aReminder('m-1'));
    const deliveries: string[] = [];
    const run = async (): Promise<FakeSource> => {
      const source = new FakeSource();
      const store = SqliteDeliveredStore.open(file, { now });
      const notifier = new Notifier({
        source,
        store,
        deliver: async (message) => void deliveries.push(message.messageId),
        deadLetters: new InMemoryPublisher(),
        deadLetterTopic: 'vwu.reminders.dlq',
        logger: pino({ level: 'silent' }),
        maxAttempts: 3,
      });
      await notifier.start();
      await source.feed(value);
      store.close(); // the "crash": the source's commit is lost with the process
      return source;
    };
    await run();
    const restarted = await run();

    expect(deliveries).toEqual(['m-1']);
    expect(restarted.committed).toHaveLength(1);
  });
});
