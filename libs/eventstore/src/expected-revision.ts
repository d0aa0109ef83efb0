/**
 * What the writer believes about a stream before appending:
 * - 'any': no check;
 * - 'no_stream': the stream must not exist yet;
 * - 'stream_exists': it must have at least one event;
 * - a number: the revision of its last event must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** -1 stands for "no stream" in `actual`. */
export const NO_STREAM_REVISION = -1;

export const revisionMatches = (expected: ExpectedRevision, actual: number): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === NO_STREAM_REVISION;
  if (expected === 'stream_exists') return actual !== NO_STREAM_REVISION;
  return expected === actual;
};
