import type { DeliveredStore, DeliveryOutcome } from '../delivered-store';
import type { HandleOutcome, InboundRecord, RecordHandler, ReminderSource } from '../reminder-source';

export class InMemoryDeliveredStore implements DeliveredStore {
  readonly outcomes = new Map<string, DeliveryOutcome>();
  has(messageId: string): boolean {
    return this.outcomes.has(messageId);
  }
  record(messageId: string, outcome: DeliveryOutcome): void {
    if (!this.outcomes.has(messageId)) this.outcomes.set(messageId, outcome);
  }
  close(): void {}
}

/** A source the test feeds by hand; like the Kafka one, it commits a record only once it is settled. */
export class FakeSource implements ReminderSource {
  readonly committed: InboundRecord[] = [];
  heartbeats = 0;
  stopped = false;
  private handler?: RecordHandler;
  private offset = 0;

  async start(handler: RecordHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  /** Hands one record to the notifier; resolves with its outcome. */
  async feed(value: string | null, key: string | null = 'k', headers: Record<string, string> = {}): Promise<HandleOutcome> {
    if (!this.handler) throw new Error('the notifier has not started');
    const record: InboundRecord = { topic: 'vwu.reminders', partition: 0, offset: String(this.offset++), key, value, headers };
    const outcome = await this.handler(record, async () => {
      this.heartbeats += 1;
    });
    if (outcome === 'settled') this.committed.push(record);
    return outcome;
  }
}
