/** One message from the reminders topic, as the notifier sees it: text, whatever the client library. */
export type InboundRecord = Readonly<{
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Readonly<Record<string, string>>;
}>;

/**
 * `settled`: delivered, dead-lettered or a known duplicate; the source commits the offset.
 * `abandoned`: the notifier is stopping mid-way; the source commits nothing, so it comes again.
 */
export type HandleOutcome = 'settled' | 'abandoned';

/** `heartbeat` tells the consumer group this member is alive during a long retry. */
export type RecordHandler = (record: InboundRecord, heartbeat: () => Promise<void>) => Promise<HandleOutcome>;

/**
 * The consumer side of the notifier: hands over records one at a time per partition and commits a
 * record's offset only after the handler settled it.
 */
export interface ReminderSource {
  start(handler: RecordHandler): Promise<void>;
  /** Waits for the record in hand to be handled, then leaves the group. */
  stop(): Promise<void>;
}
