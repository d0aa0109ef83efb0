import type { OutboundMessage } from './message';
import type { MessagePublisher } from './publisher.port';

/** A publisher for unit tests: records what it was given, and fails on demand. */
export class InMemoryPublisher implements MessagePublisher {
  readonly published: OutboundMessage[] = [];
  private failuresLeft = 0;
  private failure = new Error('InMemoryPublisher: publish failed (as requested)');
  private closed = false;

  /** The next `count` publishes reject and record nothing, as a broker outage would. */
  failNext(count = 1, error?: Error): void {
    this.failuresLeft = count;
    if (error) this.failure = error;
  }

  topic(topic: string): OutboundMessage[] {
    return this.published.filter((message) => message.topic === topic);
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    if (this.closed) throw new Error('InMemoryPublisher is closed');
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw this.failure;
    }
    this.published.push(...messages.map((message) => ({ ...message, headers: { ...message.headers } })));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
