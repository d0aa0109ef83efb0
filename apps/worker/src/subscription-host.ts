import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@app/config';
import {
  type CheckpointStore,
  CheckpointedSubscription,
  EVENT_STORE,
  type EventStore,
  nextEventFor,
  type SubscriptionOptions,
} from '@app/eventstore';
import { CHECKPOINT_STORE, LOGGER, READ_STORE, type SubscriptionState } from '@app/platform';
import { Leases, type ReadStore } from '@app/readstore';

export type SubscriberDefinition = Omit<SubscriptionOptions, 'store' | 'checkpoints' | 'onError'> &
  Partial<Pick<SubscriptionOptions, 'checkpoints'>> & {
    /** The lease the subscription runs under; its own name by default. */
    lease?: string;
  };

/** Each live worker holds a lease of its own under this prefix: how the workers count each other to share the work. */
const MEMBER_PREFIX = 'member:';

const shuffled = <T>(items: T[]): T[] => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
};

type Entry = {
  subscription: CheckpointedSubscription;
  lease: string;
  checkpoints: CheckpointStore;
  filter: SubscriptionOptions['filter'];
};

/**
 * Runs the checkpointed subscriptions of this process (projections, sagas, the relay), each only
 * while this process holds its lease: with several workers, every subscription has exactly one
 * active runner, and a standby takes it over within LEASE_TTL_MS of the holder's death (at once
 * after a graceful shutdown, which gives its leases up). A subscription resumes from the shared
 * checkpoint, so a takeover replays at most the batch the old holder had not checkpointed.
 *
 * The workers share the leases: each live worker (counted by a `member:` lease of its own) takes
 * at most its share, and a worker above its share (another one joined) hands the excess over.
 * Leases are renewed every second (every third of their lifetime if that is shorter). A lease found taken over (this process stalled
 * past its expiry) stops its subscription after the batch in hand; when the read store cannot be
 * reached for a whole lifetime, every subscription stops until it can.
 */
@Injectable()
export class SubscriptionHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Who this process is in the lease table. */
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly member = `${MEMBER_PREFIX}${this.holder}`;
  private readonly entries = new Map<string, Entry>();
  private readonly leaseNames = new Set<string>();
  private readonly held = new Set<string>();
  private readonly leases: Leases;
  private readonly ttlMs: number;
  private started = false;
  private stopping = false;
  private ticker: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private lastRenewal = 0;
  private bootstrapped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    @Inject(READ_STORE) readStore: ReadStore,
    config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.leases = new Leases(readStore);
    this.ttlMs = config.LEASE_TTL_MS;
  }

  register(definition: SubscriberDefinition): CheckpointedSubscription {
    if (this.entries.has(definition.name)) throw new Error(`Subscription ${definition.name} is registered twice`);
    const { lease = definition.name, ...options } = definition;
    const checkpoints = options.checkpoints ?? this.checkpoints;
    const subscription = new CheckpointedSubscription({
      ...options,
      checkpoints,
      store: this.store,
      onError: (error, attempt) =>
        this.logger.error(
          { err: error, subscription: definition.name, attempt },
          'subscription failed; restarting from its checkpoint',
        ),
    });
    this.entries.set(definition.name, { subscription, lease, checkpoints, filter: options.filter });
    this.leaseNames.add(lease);
    if (this.held.has(lease)) subscription.start();
    return subscription;
  }

  /** A lease for work that is not a subscription (the daily digest): `holds(name)` says whether to do it. */
  registerLease(name: string): void {
    this.leaseNames.add(name);
  }

  holds(lease: string): boolean {
    return this.held.has(lease);
  }

  status(): Array<{ name: string; status: string; position: number; lease: string; held: boolean }> {
    return [...this.entries.entries()].map(([name, { subscription, lease }]) => ({
      name,
      status: this.held.has(lease) ? subscription.status : 'standby',
      position: subscription.position,
      lease,
      held: this.held.has(lease),
    }));
  }

  /**
   * Each subscription with its lag: 0 when no event it handles is left after its checkpoint,
   * otherwise the events in the store after its checkpoint (an upper bound for filtered ones). A
   * standby's position is the shared checkpoint, kept by whichever process holds the lease.
   */
  async subscriptionStates(): Promise<SubscriptionState[]> {
    const head = await this.store.headPosition();
    return Promise.all(
      this.status().map(async (s) => {
        const entry = this.entries.get(s.name)!;
        const position = s.held ? s.position : await entry.checkpoints.load(s.name);
        const pending = position < head && (await nextEventFor(this.store, position, entry.filter)) !== undefined;
        return { name: s.name, status: s.status, position, lag: pending ? head - position : 0, held: s.held };
      }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    await this.tick();
    this.bootstrapped = true;
    this.ticker = setInterval(() => void this.tick(), Math.max(100, Math.min(1_000, Math.floor(this.ttlMs / 3))));
    this.ticker.unref();
    this.logger.info(
      { holder: this.holder, held: [...this.held], standby: [...this.leaseNames].filter((n) => !this.held.has(n)) },
      'subscriptions started',
    );
  }

  /** Renews what this process holds and takes whatever lease is free. */
  tick(): Promise<void> {
    if (!this.started || this.stopping) return Promise.resolve();
    this.ticking ??= this.renewAndAcquire().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async renewAndAcquire(): Promise<void> {
    try {
      const mine = [...this.held];
      const kept = new Set(await this.leases.renew(this.holder, [...mine, this.member], this.ttlMs));
      this.lastRenewal = performance.now();
      for (const lease of mine.filter((l) => !kept.has(l))) {
        this.logger.warn({ lease, holder: this.holder }, 'lease taken over by another process; stopping its work here');
        await this.lose(lease);
      }
      if (this.stopping) return;
      if (!kept.has(this.member)) await this.leases.acquire(this.holder, [this.member], this.ttlMs);
      const table = await this.leases.list();
      // Each live worker takes its share of the work; one that holds more than its share (a worker
      // joined) hands the excess over, and the others pick it up at their next renewal.
      const members = Math.max(1, table.filter((l) => l.live && l.name.startsWith(MEMBER_PREFIX)).length);
      const work = [...this.leaseNames];
      const share = Math.ceil(work.length / members);
      const heldWork = work.filter((l) => this.held.has(l));
      if (heldWork.length > share) {
        const excess = heldWork.slice(share);
        for (const lease of excess) await this.lose(lease);
        await this.leases.release(this.holder, excess);
        this.logger.info({ leases: excess, holder: this.holder, members }, 'leases handed over to balance the workers');
        return;
      }
      const elsewhere = new Set(table.filter((l) => l.live && l.holder !== this.holder).map((l) => l.name));
      const free = shuffled(work.filter((l) => !this.held.has(l) && !elsewhere.has(l))).slice(0, share - heldWork.length);
      const taken = await this.leases.acquire(this.holder, free, this.ttlMs);
      if (this.stopping) {
        await this.leases.release(this.holder, taken);
        return;
      }
      for (const lease of taken) {
        this.held.add(lease);
        for (const entry of this.entries.values()) if (entry.lease === lease) entry.subscription.start();
      }
      if (taken.length > 0 && this.bootstrapped) this.logger.info({ leases: taken, holder: this.holder }, 'leases taken over');
      if (Math.random() < 0.01) await this.leases.forgetExpired(MEMBER_PREFIX, 3_600_000);
    } catch (error) {
      this.logger.error({ err: error, holder: this.holder }, 'could not renew leases');
      if (this.held.size > 0 && performance.now() - this.lastRenewal > this.ttlMs) {
        this.logger.warn({ holder: this.holder }, 'leases expired without renewal; stopping all work here');
        for (const lease of [...this.held]) await this.lose(lease);
      }
    }
  }

  private async lose(lease: string): Promise<void> {
    this.held.delete(lease);
    await Promise.all([...this.entries.values()].filter((e) => e.lease === lease).map((e) => e.subscription.stop()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.ticker) clearInterval(this.ticker);
    await this.ticking;
    await Promise.all([...this.entries.values()].map((e) => e.subscription.stop()));
    const released = [...this.held];
    this.held.clear();
    if (released.length > 0)
      await this.leases
        .release(this.holder)
        .catch((error: unknown) => this.logger.error({ err: error }, 'could not give the leases up; they expire on their own'));
    this.logger.info({ subscriptions: this.status(), released }, 'subscriptions stopped');
  }
}
