import type { OutboundMessage } from './message';

export const MESSAGE_PUBLISHER = Symbol('MESSAGE_PUBLISHER');

/**
 * The messaging port: the only way the engine's code reaches a broker. Delivery is at least once;
 * consumers deduplicate by an id the messages carry.
 */
export interface MessagePublisher {
  /**
   * Resolves only when the broker has acknowledged every message (acks = all); rejects otherwise,
   * in which case some of them may have been written and the caller publishes them all again.
   * Await one call before the next when order matters.
   */
  publish(messages: readonly OutboundMessage[]): Promise<void>;
  close(): Promise<void>;
}
