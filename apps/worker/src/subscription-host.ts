import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  type CheckpointStore,
  CheckpointedSubscription,
  EVENT_STORE,
  type EventStore,
  type SubscriptionOptions,
} from '@app/eventstore';
import { CHECKPOINT_STORE, LOGGER, type SubscriptionState } from '@app/platform';

export type SubscriberDefinition = Omit<SubscriptionOptions, 'store' | 'checkpoints' | 'onError'> &
  Partial<Pick<SubscriptionOptions, 'checkpoints'>>;

/**
 * Runs every checkpointed subscription of this process: projections, sagas, the relay. They
 * register while modules initialise, start once the application has booted, and on shutdown
 * each finishes its batch and stores its checkpoint before the process exits.
 */
@Injectable()
export class SubscriptionHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly subscriptions = new Map<string, CheckpointedSubscription>();
  private started = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  register(definition: SubscriberDefinition): CheckpointedSubscription {
    if (this.subscriptions.has(definition.name)) throw new Error(`Subscription ${definition.name} is registered twice`);
    const subscription = new CheckpointedSubscription({
      checkpoints: this.checkpoints,
      ...definition,
      store: this.store,
      onError: (error, attempt) =>
        this.logger.error(
          { err: error, subscription: definition.name, attempt },
          'subscription failed; restarting from its checkpoint',
        ),
    });
    this.subscriptions.set(definition.name, subscription);
    if (this.started) subscription.start();
    return subscription;
  }

  status(): Array<{ name: string; status: string; position: number }> {
    return [...this.subscriptions.values()].map((s) => ({ name: s.name, status: s.status, position: s.position }));
  }

  /** Each subscription with its lag: events in the store after its position (an upper bound for filtered ones). */
  async subscriptionStates(): Promise<SubscriptionState[]> {
    const head = await this.store.headPosition();
    return this.status().map((s) => ({ ...s, lag: Math.max(0, head - s.position) }));
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const subscription of this.subscriptions.values()) subscription.start();
    this.logger.info({ subscriptions: [...this.subscriptions.keys()] }, 'subscriptions started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.subscriptions.values()].map((s) => s.stop()));
    this.logger.info({ subscriptions: this.status() }, 'subscriptions stopped');
  }
}
