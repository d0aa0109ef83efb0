import type { RecordedEvent } from '../recorded-event';
import { newEvent } from '../testing/event-fixtures';
import { planAppends } from './append-plan';

/** A log from `stream:revision` labels, in global order. */
const log = (...labels: string[]): RecordedEvent[] =>
  labels.map((label, i) => {
    const [streamId, revision] = label.split(':');
    const { id, type, data, metadata } = newEvent('Noted', { label });
    return {
      id,
      type,
      data: data as Record<string, unknown>,
      metadata,
      streamId,
      revision: Number(revision),
      position: i + 1,
      recordedAt: 0,
    };
  });

const shape = (calls: ReturnType<typeof planAppends>): string[][] =>
  calls.map((call) => call.map((piece) => `${piece.streamId}:${piece.events.map((e) => e.revision).join(',')}`));

const wide = { multiStream: true, maxEvents: 100, maxBytes: 1_000_000 };

describe('planAppends', () => {
  it('keeps the global order: runs of one stream become pieces, and a call never holds a stream twice', () => {
    const page = log('a:0', 'a:1', 'b:0', 'c:0', 'a:2', 'b:1', 'b:2', 'c:1');
    expect(shape(planAppends(page, wide))).toEqual([
      ['a:0,1', 'b:0', 'c:0'],
      ['a:2', 'b:1,2', 'c:1'],
    ]);
    // Flattened, the calls are the page itself.
    expect(
      planAppends(page, wide)
        .flat()
        .flatMap((p) => p.events),
    ).toEqual(page);
  });

  it('gives each piece a call of its own when the target cannot append to many streams atomically', () => {
    expect(shape(planAppends(log('a:0', 'b:0', 'b:1', 'a:1'), { ...wide, multiStream: false }))).toEqual([
      ['a:0'],
      ['b:0,1'],
      ['a:1'],
    ]);
  });

  it('splits by event count and by size, within a stream too', () => {
    const long = log(...Array.from({ length: 7 }, (_, i) => `a:${i}`), 'b:0');
    expect(shape(planAppends(long, { ...wide, maxEvents: 3 }))).toEqual([['a:0,1,2'], ['a:3,4,5'], ['a:6', 'b:0']]);
    const one = JSON.stringify(long[0].data).length + JSON.stringify(long[0].metadata).length + long[0].type.length + 64;
    expect(shape(planAppends(long, { ...wide, maxBytes: one * 2 }))).toEqual([['a:0,1'], ['a:2,3'], ['a:4,5'], ['a:6', 'b:0']]);
  });

  it('refuses a source stream whose revisions skip within the log', () => {
    let refused: unknown;
    try {
      planAppends(log('a:0', 'a:2'), wide);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'MIGRATION.SOURCE_OUT_OF_ORDER', details: { streamId: 'a', position: 2 } });
  });
});
