import type { RecordedEvent } from '@app/eventstore';
import type { MessagePublisher, OutboundMessage } from '@app/messaging';
import { integrationMessageOf } from './integration-message';
import { isReminderEvent, type ReminderLookups, reminderMessageOf } from './reminder-messages';

export type RelayOptions = Readonly<{ prefix: string; publicUrl: string }>;

/**
 * Turns a batch of stored events, in global order, into the messages to publish: one integration
 * message per event on its category's topic, plus a reminders-topic message for each reminder,
 * overdue mark and escalation. The batch is published as one call that resolves only once the
 * broker acknowledged everything; the subscription stores its checkpoint after that, never before.
 */
export class Relay {
  constructor(
    private readonly publisher: MessagePublisher,
    private readonly lookups: ReminderLookups,
    private readonly options: RelayOptions,
  ) {}

  async messagesOf(batch: readonly RecordedEvent[]): Promise<OutboundMessage[]> {
    const messages: OutboundMessage[] = [];
    for (const event of batch) {
      messages.push(integrationMessageOf(this.options.prefix, event));
      if (isReminderEvent(event)) {
        const reminder = await reminderMessageOf(event, this.lookups, this.options);
        if (reminder) messages.push(reminder);
      }
    }
    return messages;
  }

  async relay(batch: readonly RecordedEvent[]): Promise<number> {
    const messages = await this.messagesOf(batch);
    await this.publisher.publish(messages);
    return messages.length;
  }
}
