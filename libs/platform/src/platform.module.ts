import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { CommandHandler } from '@app/commanding';
import { AppMetrics } from '@app/metrics';
import { ALL_PROJECTIONS, Consistency } from '@app/read-models';
import { Projector, type ReadStore } from '@app/readstore';
import { CLOCK, type Clock, systemClock } from './clock';
import { LOGGER } from './logger';
import { tokenSecret } from './token-secret';
import { openStores, type Stores } from './stores';

export const CHECKPOINT_STORE = Symbol('CHECKPOINT_STORE');
export const TOKEN_SECRET = Symbol('TOKEN_SECRET');
export const READ_STORE = Symbol('READ_STORE');
const STORES = Symbol('STORES');

/** Configuration, logging, the event store and the command handler, shared by api and worker. */
@Global()
@Module({})
export class PlatformModule implements OnApplicationShutdown {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  static forRoot(config: AppConfig, logger: Logger, clock: Clock = systemClock): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: clock },
        { provide: TOKEN_SECRET, useFactory: () => tokenSecret(config) },
        { provide: STORES, useFactory: () => openStores(config) },
        { provide: EVENT_STORE, useFactory: (stores: Stores) => stores.eventStore, inject: [STORES] },
        { provide: CHECKPOINT_STORE, useFactory: (stores: Stores) => stores.checkpoints, inject: [STORES] },
        { provide: READ_STORE, useFactory: (stores: Stores) => stores.readStore, inject: [STORES] },
        {
          provide: Projector,
          useFactory: (readStore: ReadStore) => new Projector(readStore, ALL_PROJECTIONS),
          inject: [READ_STORE],
        },
        {
          provide: Consistency,
          useFactory: (projector: Projector, store: EventStore) => new Consistency(projector, store),
          inject: [Projector, EVENT_STORE],
        },
        // One registry per application (MetricsModule adds the scrape-time gauges to it).
        { provide: AppMetrics, useFactory: () => new AppMetrics() },
        {
          provide: CommandHandler,
          useFactory: (store: EventStore, metrics: AppMetrics) => new CommandHandler(store, { observer: metrics.commands }),
          inject: [EVENT_STORE, AppMetrics],
        },
      ],
      exports: [
        AppConfig,
        LOGGER,
        CLOCK,
        TOKEN_SECRET,
        EVENT_STORE,
        CHECKPOINT_STORE,
        READ_STORE,
        Projector,
        Consistency,
        CommandHandler,
        AppMetrics,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stores.close();
    this.logger.info({ store: this.stores.describe }, 'event store closed');
  }
}
