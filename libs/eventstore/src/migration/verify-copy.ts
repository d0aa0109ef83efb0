import type { EventStore } from '../event-store.port';
import type { RecordedEvent } from '../recorded-event';
import { sameEvent } from './copied-event';

export type CopyVerification = Readonly<{
  ok: boolean;
  /** Source events found in the target, identical and in the source's order. */
  matched: number;
  /** Found by id, but in another stream or revision, or with other type, data or metadata. */
  different: number;
  /** Source events not found in the target in their order. */
  missing: number;
  /** Target events before the last source event that are not the next source event (other data, or a copy out of order). */
  foreign: number;
  firstProblem?: string;
}>;

/** Reads the source log up to a head, one page at a time, with a look at the next event. */
class SourceCursor {
  private page: RecordedEvent[] = [];
  private index = 0;
  private after = 0;
  private done = false;

  constructor(
    private readonly source: EventStore,
    private readonly head: number,
    private readonly batchSize: number,
  ) {}

  async peek(): Promise<RecordedEvent | undefined> {
    if (this.index < this.page.length) return this.page[this.index];
    if (this.done) return undefined;
    const read = await this.source.readAll({ after: this.after, maxCount: this.batchSize });
    this.page = read.filter((e) => e.position <= this.head);
    this.index = 0;
    if (this.page.length < read.length || read.length < this.batchSize) this.done = true;
    if (this.page.length > 0) this.after = this.page[this.page.length - 1].position;
    return this.page[0];
  }

  next(): void {
    this.index++;
  }
}

/**
 * Checks a finished copy in one pass over both logs: every source event up to `upTo` must be in the
 * target, identical, and in the same global order. Events of other writers in the target are counted,
 * not failed (a shared server); a copy out of order shows as missing events.
 */
export const verifyCopy = async (
  source: EventStore,
  target: EventStore,
  options: Readonly<{ upTo?: number; batchSize?: number; onProgress?: (matched: number) => void }> = {},
): Promise<CopyVerification> => {
  const batchSize = options.batchSize ?? 1000;
  const cursor = new SourceCursor(source, options.upTo ?? (await source.headPosition()), batchSize);
  let matched = 0;
  let different = 0;
  let foreign = 0;
  let firstProblem: string | undefined;
  let after = 0;
  while ((await cursor.peek()) !== undefined) {
    const page = await target.readAll({ after, maxCount: batchSize });
    if (page.length === 0) break;
    after = page[page.length - 1].position;
    for (const copy of page) {
      const expected = await cursor.peek();
      if (!expected) break;
      if (copy.id !== expected.id) {
        foreign++;
        continue;
      }
      if (sameEvent(copy, expected)) matched++;
      else {
        different++;
        firstProblem ??= `event ${expected.id} (${expected.streamId}@${expected.revision}) differs in the target (${copy.streamId}@${copy.revision})`;
      }
      cursor.next();
    }
    options.onProgress?.(matched + different);
  }
  let missing = 0;
  for (let event = await cursor.peek(); event; event = await cursor.peek()) {
    firstProblem ??= `event ${event.id} (${event.streamId}@${event.revision}, source position ${event.position}) is not in the target in its place`;
    missing++;
    cursor.next();
  }
  return {
    ok: different === 0 && missing === 0,
    matched,
    different,
    missing,
    foreign,
    ...(firstProblem ? { firstProblem } : {}),
  };
};

/**
 * The target position of the source event at `position`, or undefined when that event is not (yet)
 * in the target. A subscriber's checkpoint carried over this way resumes at the same event.
 */
export const translatePosition = async (
  source: EventStore,
  target: EventStore,
  position: number,
): Promise<number | undefined> => {
  if (position <= 0) return 0;
  const [event] = await source.readAll({ after: position - 1, maxCount: 1 });
  if (!event || event.position !== position) return undefined;
  const [copy] = await target.readStream(event.streamId, { fromRevision: event.revision, maxCount: 1 });
  return copy && copy.id === event.id ? copy.position : undefined;
};
