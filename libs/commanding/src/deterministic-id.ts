import { createHash } from 'node:crypto';

/**
 * A name-based UUID (version 5 layout) for the i-th event a command writes to a stream.
 * Repeating the command yields the same ids, so a store that deduplicates by event id
 * (KurrentDB does, SQLite refuses) never records the same fact twice.
 */
export const deterministicEventId = (commandId: string, streamId: string, index: number): string => {
  const hash = createHash('sha1').update(`${commandId}\u0000${streamId}\u0000${index}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
