/** The only source of "now" outside tests. Tests inject a clock they move forward. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to: time travel in tests. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date): void {
    this.current = new Date(to);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** What the worker part of a process is doing, for operators: provided by the worker, absent in an api-only process. */
export const WORK_STATUS = Symbol('WORK_STATUS');

export type SubscriptionState = Readonly<{
  name: string;
  /** `running`, `retrying`, `stopped`, or `standby` while another worker holds its lease. */
  status: string;
  position: number;
  /** 0 when nothing it handles is left; otherwise the events after its position (an upper bound when it filters). */
  lag: number;
  /** Whether this process holds the subscription's lease. */
  held?: boolean;
}>;

export interface WorkStatus {
  /** Each checkpointed subscription (projections, sagas, the relay) with how far behind the head it is. */
  subscriptions(): Promise<SubscriptionState[]>;
}
