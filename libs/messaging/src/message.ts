/** One message for the broker. The key picks the partition, so messages with one key stay in order. */
export type OutboundMessage = Readonly<{
  topic: string;
  key: string;
  value: string;
  headers: Readonly<Record<string, string>>;
}>;
