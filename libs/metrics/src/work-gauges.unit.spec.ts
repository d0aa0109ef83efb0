import { Registry } from 'prom-client';
import { InMemoryEventStore } from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';
import { registerWorkGauges, type TimerCounts, type WorkSources } from './work-gauges';

/** Sample lines of the text format (no HELP/TYPE), keyed by `name{labels}`. */
const samples = async (registry: Registry): Promise<Map<string, number>> =>
  new Map(
    (await registry.metrics())
      .split('\n')
      .filter((line) => line.startsWith('vwu_'))
      .map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))] as const),
  );

describe('registerWorkGauges', () => {
  let recordedAt: number;
  let store: InMemoryEventStore;
  let checkpoints: Map<string, number>;
  let timers: (now: number) => Promise<TimerCounts>;
  let registry: Registry;
  const sources = (overrides: Partial<WorkSources> = {}): WorkSources => ({
    store,
    subscriptions: [
      { name: 'projection:all', checkpoint: async () => checkpoints.get('all') ?? 0 },
      { name: 'projection:reports', filter: { categories: ['report'] }, checkpoint: async () => checkpoints.get('reports') ?? 0 },
      { name: 'relay:kafka', checkpoint: async () => checkpoints.get('relay') ?? 0, optional: true },
    ],
    timers: (now) => timers(now),
    now: () => 10_000_000,
    ...overrides,
  });

  beforeEach(async () => {
    recordedAt = 1_000_000;
    store = new InMemoryEventStore(() => recordedAt);
    await store.appendToStream('unit-a', [newEvent('UnitRegistered')]); // 1, at 1,000 s
    recordedAt = 4_000_000;
    await store.appendToStream('report-a', [newEvent('ReportSubmitted')]); // 2, at 4,000 s
    recordedAt = 9_000_000;
    await store.appendToStream('unit-b', [newEvent('UnitRegistered')]); // 3, at 9,000 s
    checkpoints = new Map([
      ['all', 1],
      ['reports', 0],
    ]);
    timers = async (now) => (now === 10_000_000 ? { pending: 3, due: 2, disarmed: 1 } : { pending: -1, due: -1, disarmed: -1 });
    registry = new Registry();
  });

  it('reads position, lag in events and lag in seconds to the first event each subscription still wants', async () => {
    registerWorkGauges(registry, sources());
    const m = await samples(registry);
    expect(m.get('vwu_event_store_head_position')).toBe(3);
    expect(m.get('vwu_subscription_position{subscription="projection:all"}')).toBe(1);
    expect(m.get('vwu_subscription_lag_events{subscription="projection:all"}')).toBe(2);
    expect(m.get('vwu_subscription_lag_seconds{subscription="projection:all"}')).toBe(6000); // event 2
    // Filtered: the lag in events over-counts; the lag in seconds skips the unit events.
    expect(m.get('vwu_subscription_lag_events{subscription="projection:reports"}')).toBe(3);
    expect(m.get('vwu_subscription_lag_seconds{subscription="projection:reports"}')).toBe(6000);
    // Timers at the clock's time: pending counts every armed timer, due or not.
    expect(m.get('vwu_timers_pending')).toBe(5);
    expect(m.get('vwu_timers_overdue')).toBe(2);
    expect(m.get('vwu_timers_held')).toBe(1);
  });

  it('reports 0 s of lag for a subscription with nothing left to do, and an optional one only once it has moved', async () => {
    checkpoints.set('reports', 2);
    registerWorkGauges(registry, sources());
    let m = await samples(registry);
    expect(m.get('vwu_subscription_lag_seconds{subscription="projection:reports"}')).toBe(0);
    // Nothing left that it handles: no lag in events either, though the head is one event further.
    expect(m.get('vwu_subscription_lag_events{subscription="projection:reports"}')).toBe(0);
    expect([...m.keys()].filter((k) => k.includes('relay:kafka'))).toEqual([]);
    checkpoints.set('relay', 3);
    m = await samples(registry);
    expect(m.get('vwu_subscription_position{subscription="relay:kafka"}')).toBe(3);
    expect(m.get('vwu_subscription_lag_seconds{subscription="relay:kafka"}')).toBe(0);
  });

  it('leaves out the gauges of a read that fails and counts the error in the same scrape; the rest still answer', async () => {
    const warned: string[] = [];
    timers = () => Promise.reject(new Error('relation "rm_timers" does not exist'));
    registerWorkGauges(registry, sources({ onError: (source) => warned.push(source) }));
    const m = await samples(registry);
    expect([...m.keys()].filter((k) => k.startsWith('vwu_timers_'))).toEqual([]);
    expect(m.get('vwu_metrics_collect_errors_total{source="timers"}')).toBe(1);
    expect(m.get('vwu_subscription_position{subscription="projection:all"}')).toBe(1);
    expect(warned).toEqual(['timers']); // one read per scrape, however many gauges use it
    expect((await samples(registry)).get('vwu_metrics_collect_errors_total{source="timers"}')).toBe(2);
  });

  it('gives up on a read that does not answer within the timeout, for that subscription only', async () => {
    const hanging = new Promise<number>(() => undefined);
    registerWorkGauges(
      registry,
      sources({
        timeoutMs: 20,
        subscriptions: [
          { name: 'projection:all', checkpoint: async () => 1 },
          { name: 'projection:stuck', checkpoint: () => hanging },
        ],
      }),
    );
    const m = await samples(registry);
    expect([...m.keys()].filter((k) => k.includes('projection:stuck') && !k.startsWith('vwu_metrics'))).toEqual([]);
    expect(m.get('vwu_metrics_collect_errors_total{source="projection:stuck"}')).toBe(1);
    expect(m.get('vwu_subscription_position{subscription="projection:all"}')).toBe(1);
  });

  it('leaves the head and the lag in events out when the store is down, and reads it once per scrape', async () => {
    const head = jest.spyOn(store, 'headPosition');
    registerWorkGauges(registry, sources());
    await samples(registry);
    expect(head).toHaveBeenCalledTimes(1);
    head.mockRejectedValue(new Error('connection refused'));
    const m = await samples(registry);
    expect(m.has('vwu_event_store_head_position')).toBe(false);
    expect([...m.keys()].filter((k) => k.startsWith('vwu_subscription_lag_events'))).toEqual([]);
    expect(m.get('vwu_subscription_position{subscription="projection:all"}')).toBe(1);
    expect(m.get('vwu_metrics_collect_errors_total{source="event_store"}')).toBe(1);
  });

  it('registers once per registry (api and worker in one process)', async () => {
    registerWorkGauges(registry, sources());
    registerWorkGauges(registry, sources({ now: () => 0 }));
    expect((await samples(registry)).get('vwu_timers_pending')).toBe(5);
  });
});
