/**
 * The deadline scheduler and its claims as the worker builds them (apps/worker/src/deadlines.service.ts),
 * with counters around the two calls that do the work: each pass (`runOnce`, which `start()` calls)
 * and each claim. Nothing else changes, so `start()` runs the production loop.
 */
import type { CommandHandler } from '@app/commanding';
import type { ReadStore } from '@app/readstore';
import {
  DeadlineScheduler,
  type PassResult,
  type ReportingService,
  type SchedulerOptions,
  TimerClaims,
  type TimerRow,
} from '@app/reporting';
import { nowMs } from '../harness';

export class TimedClaims extends TimerClaims {
  readonly claimMs: number[] = [];

  constructor(store: ReadStore) {
    super(store);
  }

  override async claimObligationTimers(now: number, limit: number, leaseMs: number): Promise<TimerRow[]> {
    const started = nowMs();
    const rows = await super.claimObligationTimers(now, limit, leaseMs);
    this.claimMs.push(nowMs() - started);
    return rows;
  }
}

/** Counts what the scheduler logs: refusals are warnings, dropped timers errors. */
export class CountingLog {
  warnings = 0;
  errors = 0;
  info(): void {}
  warn(): void {
    this.warnings++;
  }
  error(obj: object, msg: string): void {
    this.errors++;
    if (this.errors <= 3) console.error(`  scheduler error: ${msg}`, obj);
  }
}

export class TimedScheduler extends DeadlineScheduler {
  readonly passMs: number[] = [];
  readonly timedClaims: TimedClaims;
  readonly counts: CountingLog;
  written = 0;
  fired = 0;
  private target = Number.POSITIVE_INFINITY;
  private reached: (() => void) | undefined;

  constructor(
    readStore: ReadStore,
    handler: CommandHandler,
    reporting: ReportingService,
    now: () => Date,
    options: SchedulerOptions,
    log = new CountingLog(),
  ) {
    const claims = new TimedClaims(readStore);
    super(claims, handler, reporting, now, log, options);
    this.timedClaims = claims;
    this.counts = log;
  }

  override async runOnce(): Promise<PassResult> {
    const started = nowMs();
    const result = await super.runOnce();
    this.passMs.push(nowMs() - started);
    this.written += result.eventsWritten;
    this.fired += result.timersFired;
    if (this.written >= this.target) this.reached?.();
    return result;
  }

  /** Resolves once `events` more events have been written, or false after `timeoutMs`. */
  writes(events: number, timeoutMs: number): Promise<boolean> {
    this.target = this.written + events;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.reached = () => {
        clearTimeout(timer);
        this.reached = undefined;
        resolve(true);
      };
    });
  }
}
