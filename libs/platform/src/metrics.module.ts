import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@app/config';
import { type CheckpointStore, EVENT_STORE, type EventStore } from '@app/eventstore';
import { AppMetrics, registerWorkGauges, type SubscriptionSource } from '@app/metrics';
import { Projector, type ReadStore } from '@app/readstore';
import { TimerClaims } from '@app/reporting';
import { CLOCK, type Clock } from './clock';
import { LOGGER } from './logger';
import { CHECKPOINT_STORE, READ_STORE } from './platform.module';
import { PERIOD_OPENER_SUBSCRIPTION, projectionSubscription, RELAY_SUBSCRIPTION } from './subscribers';

/**
 * The scrape-time gauges (log head, subscription positions and lags, deadline timers) on the
 * application's registry (AppMetrics, from PlatformModule). The api and the worker both import it;
 * each reads the shared stores, so every instance reports the same figures.
 */
@Module({})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly metrics: AppMetrics,
    private readonly config: AppConfig,
    private readonly projector: Projector,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const projections: SubscriptionSource[] = this.projector.projections.map((p) => ({
      name: projectionSubscription(p.name),
      filter: p.filter,
      checkpoint: () => this.projector.checkpoint(this.projector.store.db, p.name),
    }));
    const timerClaims = new TimerClaims(this.readStore);
    registerWorkGauges(this.metrics.registry, {
      store: this.store,
      subscriptions: [
        ...projections,
        {
          name: PERIOD_OPENER_SUBSCRIPTION.name,
          filter: { eventTypes: PERIOD_OPENER_SUBSCRIPTION.eventTypes },
          checkpoint: () => this.checkpoints.load(PERIOD_OPENER_SUBSCRIPTION.name),
        },
        {
          name: RELAY_SUBSCRIPTION,
          checkpoint: () => this.checkpoints.load(RELAY_SUBSCRIPTION),
          // An api process may not have KAFKA_BROKERS; once the relay has run anywhere, it is reported.
          optional: this.config.kafkaBrokers.length === 0,
        },
      ],
      timers: (now) => timerClaims.counts(now),
      now: () => this.clock.now().getTime(),
      onError: (source, error) => this.logger.warn({ err: error, source }, 'metrics: a read for the scrape failed'),
    });
  }
}
