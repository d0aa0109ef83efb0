import { Counter, Gauge, type Registry } from 'prom-client';
import { type EventFilter, type EventStore, nextEventFor } from '@app/eventstore';

/** A checkpointed subscriber whose progress is read from the shared stores, by any process. */
export type SubscriptionSource = Readonly<{
  name: string;
  /** The events it handles; lag in seconds is measured to the first of these after its checkpoint. */
  filter?: EventFilter;
  checkpoint: () => Promise<number>;
  /** Reported only once its checkpoint has moved: a subscriber this deployment may not run (the relay). */
  optional?: boolean;
}>;

export type TimerCounts = Readonly<{ pending: number; due: number; disarmed: number }>;

export type WorkSources = Readonly<{
  store: Pick<EventStore, 'headPosition' | 'readAll'>;
  subscriptions: readonly SubscriptionSource[];
  /** Counts of the deadline timers at `now` (ms). */
  timers: (now: number) => Promise<TimerCounts>;
  /** Milliseconds since the epoch: the injected clock. */
  now: () => number;
  /** Each read gives up after this long (default 2 s); its gauges are then left out of the scrape. */
  timeoutMs?: number;
  onError?: (source: string, error: unknown) => void;
}>;

class TimeoutError extends Error {}

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  work.catch(() => undefined); // a late failure after the timeout has nobody to tell
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
};

/** One read shared by every gauge of a scrape: prom-client calls all `collect`s at once, so they join the one in flight. */
const sharedPerScrape = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let inFlight: Promise<T> | undefined;
  return () => {
    inFlight ??= load().finally(() => (inFlight = undefined));
    return inFlight;
  };
};

type SubscriptionReading = Readonly<{ name: string; position: number; lagSeconds: number; pending: boolean }>;

/**
 * Gauges computed when scraped, from the shared stores (so every instance answers the same): the
 * head of the log, each subscription's position and lag, the deadline timers. A read that fails or
 * is slower than `timeoutMs` leaves its gauges out of that scrape and counts one
 * `vwu_metrics_collect_errors_total{source}`; the scrape itself still succeeds.
 */
export const registerWorkGauges = (registry: Registry, sources: WorkSources): void => {
  if (registry.getSingleMetric('vwu_event_store_head_position')) return; // api and worker in one process: once
  const timeoutMs = sources.timeoutMs ?? 2000;
  const errors = new Counter({
    name: 'vwu_metrics_collect_errors_total',
    help: 'Reads for a scrape that failed or timed out, by source (event_store, timers, or a subscription name)',
    labelNames: ['source'],
    registers: [registry],
    // Waits for this scrape's reads (joining them, or starting them when scraped alone), so an error
    // shows in the scrape it happened in, whatever order the registry collects in.
    async collect() {
      await Promise.all([head(), subscriptions(), timers()]);
    },
  });
  const guarded = async <T>(source: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await withTimeout(read(), timeoutMs);
    } catch (error) {
      errors.inc({ source });
      sources.onError?.(source, error);
      return undefined;
    }
  };

  const head = sharedPerScrape(() => guarded('event_store', () => sources.store.headPosition()));
  const readSubscription = async (s: SubscriptionSource): Promise<SubscriptionReading | undefined> => {
    const position = await s.checkpoint();
    if (s.optional && position === 0) return undefined;
    const next = await nextEventFor(sources.store, position, s.filter);
    const lagSeconds = next ? Math.max(0, sources.now() - next.recordedAt) / 1000 : 0;
    return { name: s.name, position, lagSeconds, pending: next !== undefined };
  };
  const subscriptions = sharedPerScrape(async () =>
    (await Promise.all(sources.subscriptions.map((s) => guarded(s.name, () => readSubscription(s))))).filter(
      (r): r is SubscriptionReading => r !== undefined,
    ),
  );
  const timers = sharedPerScrape(() => guarded('timers', () => sources.timers(sources.now())));

  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (g: Gauge<L>) => Promise<void>,
  ): Gauge<L> =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        // Left without a sample when the read fails (reset alone would leave 0 on a gauge without labels).
        this.reset();
        if (labelNames.length === 0) this.remove();
        await fill(this);
      },
    });

  gauge('vwu_event_store_head_position', 'Position of the last event in the global log', [], async (g) => {
    const position = await head();
    if (position !== undefined) g.set(position);
  });
  gauge(
    'vwu_subscription_position',
    'Checkpoint of each subscription (projection, saga, relay): the position of the last event it processed',
    ['subscription'],
    async (g) => {
      for (const r of await subscriptions()) g.set({ subscription: r.name }, r.position);
    },
  );
  gauge(
    'vwu_subscription_lag_events',
    'Events in the log after the checkpoint (head - position) while the subscription has any left to handle, else 0; an upper bound for subscriptions that filter',
    ['subscription'],
    async (g) => {
      const [position, readings] = await Promise.all([head(), subscriptions()]);
      if (position === undefined) return;
      for (const r of readings) g.set({ subscription: r.name }, r.pending ? Math.max(0, position - r.position) : 0);
    },
  );
  gauge(
    'vwu_subscription_lag_seconds',
    'Age of the oldest event the subscription has still to process (0 when it has none)',
    ['subscription'],
    async (g) => {
      for (const r of await subscriptions()) g.set({ subscription: r.name }, r.lagSeconds);
    },
  );
  const timerGauge = (name: string, help: string, pick: (c: TimerCounts) => number) =>
    gauge(name, help, [], async (g) => {
      const counts = await timers();
      if (counts) g.set(pick(counts));
    });
  timerGauge('vwu_timers_pending', 'Deadline timers armed and not fired yet, due or not', (c) => c.pending + c.due);
  timerGauge('vwu_timers_overdue', 'Armed deadline timers whose time has come but which have not fired yet', (c) => c.due);
  timerGauge('vwu_timers_held', 'Deadline timers held while their report awaits review', (c) => c.disarmed);
};
