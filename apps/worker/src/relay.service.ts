import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@app/config';
import { DirectiveService } from '@app/directives';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { KafkaPublisher, MESSAGE_PUBLISHER, type MessagePublisher } from '@app/messaging';
import { UnitDirectory } from '@app/org';
import { LOGGER, RELAY_SUBSCRIPTION } from '@app/platform';
import { Relay, type ReminderLookups, type UnitLookup } from '@app/relay';
import type { ReportingObligationOpened } from '@app/reporting';
import { SubscriptionHost } from './subscription-host';

export { RELAY_SUBSCRIPTION };

/** Answers the reminder messages' look-ups from the event store and the unit directory, caching directive headers. */
export class StoreLookups implements ReminderLookups {
  private readonly directives = new Map<string, { number: string; title: string } | undefined>();

  constructor(
    private readonly store: EventStore,
    private readonly directiveService: DirectiveService,
    private readonly units: UnitDirectory,
  ) {}

  async obligation(streamId: string) {
    const [first] = await this.store.readStream(streamId, { maxCount: 1 });
    if (first?.type !== 'ReportingObligationOpened') return undefined;
    const { directiveId, unitId, period, due } = (first as unknown as ReportingObligationOpened).data;
    return { directiveId, unitId, period, due };
  }

  async directive(directiveId: string) {
    if (!this.directives.has(directiveId)) {
      const state = await this.directiveService.state(directiveId);
      this.directives.set(
        directiveId,
        state.status === 'none' ? undefined : { number: state.header.number, title: state.header.title },
      );
    }
    return this.directives.get(directiveId);
  }

  unit(unitId: string): UnitLookup | undefined {
    const unit = this.units.get(unitId);
    if (!unit) return undefined;
    const officers = [...unit.officers].map(([userId, o]) => ({
      userId,
      role: o.role,
      ...(o.department !== undefined && { department: o.department }),
    }));
    return { unitId, name: unit.name, officers };
  }

  refresh(): Promise<void> {
    return this.units.refresh();
  }
}

/**
 * The Kafka relay: follows the global log from its own checkpoint and publishes every event (and a
 * reminders-topic message for each reminder, overdue mark and escalation). Off in embedded mode
 * (no KAFKA_BROKERS): reminders are still recorded as events and visible in the API.
 */
@Injectable()
export class RelayService implements OnModuleInit, OnApplicationShutdown {
  private publisher: MessagePublisher | undefined;
  private storeLookups: StoreLookups | undefined;

  constructor(
    private readonly host: SubscriptionHost,
    private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly directives: DirectiveService,
    private readonly units: UnitDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(MESSAGE_PUBLISHER) private readonly injected?: MessagePublisher,
  ) {}

  /** The publisher the relay uses (the digest publishes with it too); undefined while the relay is off. */
  get messagePublisher(): MessagePublisher | undefined {
    return this.publisher;
  }

  get lookups(): StoreLookups | undefined {
    return this.storeLookups;
  }

  get enabled(): boolean {
    return this.injected !== undefined || this.config.kafkaBrokers.length > 0;
  }

  onModuleInit(): void {
    if (!this.enabled) {
      this.logger.info('Kafka relay off: KAFKA_BROKERS is not set');
      return;
    }
    this.publisher =
      this.injected ??
      new KafkaPublisher({
        clientId: `${this.config.KAFKA_TOPIC_PREFIX}-relay`,
        brokers: this.config.kafkaBrokers,
        logger: this.logger,
      });
    const lookups = new StoreLookups(this.store, this.directives, this.units);
    this.storeLookups = lookups;
    const relay = new Relay(this.publisher, lookups, {
      prefix: this.config.KAFKA_TOPIC_PREFIX,
      publicUrl: this.config.publicUrl,
    });
    this.host.register({
      name: RELAY_SUBSCRIPTION,
      batchSize: 500,
      // The broker being down is the usual failure: back off up to half a minute, then try again from the checkpoint.
      retryDelayMs: (attempt) => Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)),
      handle: async (batch) => {
        await lookups.refresh();
        await relay.relay(batch);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher?.close();
  }
}
