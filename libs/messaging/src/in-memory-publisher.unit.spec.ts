import { InMemoryPublisher } from './in-memory-publisher';
import type { OutboundMessage } from './message';

const message = (n: number, topic = 'vwu.reports'): OutboundMessage => ({
  topic,
  key: 'k',
  value: String(n),
  headers: { n: String(n) },
});

describe('InMemoryPublisher', () => {
  it('records what it publishes, by topic, as copies', async () => {
    const publisher = new InMemoryPublisher();
    const headers = { n: '1' };
    await publisher.publish([{ ...message(1), headers }, message(2, 'vwu.reminders')]);
    headers.n = 'changed';
    expect(publisher.published.map((m) => m.value)).toEqual(['1', '2']);
    expect(publisher.topic('vwu.reports')).toEqual([message(1)]);
  });

  it('fails the next N publishes, recording nothing of them, then works again', async () => {
    const publisher = new InMemoryPublisher();
    publisher.failNext(2, new Error('broker down'));
    await expect(publisher.publish([message(1)])).rejects.toThrow('broker down');
    await expect(publisher.publish([message(1)])).rejects.toThrow('broker down');
    await publisher.publish([message(1)]);
    expect(publisher.published).toEqual([message(1)]);
  });

  it('refuses to publish once closed', async () => {
    const publisher = new InMemoryPublisher();
    await publisher.close();
    await expect(publisher.publish([message(1)])).rejects.toThrow('closed');
  });
});
