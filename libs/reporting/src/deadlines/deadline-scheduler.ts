import type { CommandHandler } from '@app/commanding';
import { systemActor } from '@app/kernel';
import type { ReportingService } from '../application/reporting.service';
import type { IssueReminder, MarkOverdue, RaiseEscalation } from '../domain/report.commands';
import { reportDecider } from '../domain/report.decider';
import type { TimerRow } from './obligation-timers.projection';
import type { TimerClaims } from './timer-claims';

export type SchedulerOptions = Readonly<{
  /** Timers claimed and fired per pass: bounded, so the API keeps answering while 100,000 fall due. */
  batchSize?: number;
  /** How long a claim keeps other passes off a timer; the fired event is projected well within it. */
  leaseMs?: number;
  /** Pause between passes when nothing was due. */
  idleMs?: number;
  /** A timer that fired this many times to no effect is dropped (and logged). */
  maxAttempts?: number;
}>;

export type PassResult = Readonly<{
  periodsOpened: number;
  timersFired: number;
  eventsWritten: number;
  unchanged: number;
  refused: number;
}>;

type Log = Readonly<{
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}>;

const ACTOR = systemActor('deadlines');

/** The command a timer sends. Its id derives from the timer, so firing twice is recognised as a repeat. */
export const commandOfTimer = (row: TimerRow, now: Date): IssueReminder | MarkOverdue | RaiseEscalation => {
  const metadata = { commandId: `timer:${row.timer_id}`, actor: ACTOR, now };
  const ref = { directiveId: row.directive_id, unitId: row.unit_id, period: row.period };
  switch (row.kind) {
    case 'reminder':
      return { type: 'IssueReminder', metadata, data: { ...ref, step: row.step, daysBefore: row.days_before ?? 0 } };
    case 'overdue':
      return { type: 'MarkOverdue', metadata, data: ref };
    case 'escalation':
      return { type: 'RaiseEscalation', metadata, data: { ...ref, step: row.step, toUnitId: row.to_unit_id ?? '' } };
  }
};

/**
 * Fires due timers: period openings first, then obligation timers in bounded batches, each batch
 * decided together and written in one append (`handleMany`). Deciders ignore repeats, so a timer
 * fired twice (two workers, a lease that ran out, a crash between the append and the projection)
 * writes its event once. Time comes from the injected clock; tests move it and call `runUntilIdle`.
 */
export class DeadlineScheduler {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly idleMs: number;
  private readonly maxAttempts: number;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly claims: TimerClaims,
    private readonly handler: CommandHandler,
    private readonly reporting: ReportingService,
    private readonly now: () => Date,
    private readonly log: Log,
    options: SchedulerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.idleMs = options.idleMs ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  /** One pass: every due period opening (bounded), then one batch of obligation timers. */
  async runOnce(): Promise<PassResult> {
    const now = this.now();
    let periodsOpened = 0;
    for (const row of await this.claims.claimPeriodTimers(now.getTime(), this.batchSize, this.leaseMs)) {
      if (!row.next_period) continue;
      try {
        const opened = await this.reporting.openScheduledPeriod(row.directive_id, row.next_period);
        if (opened && !opened.replayed && opened.position > 0) periodsOpened++;
      } catch (error) {
        this.log.error({ err: error, directiveId: row.directive_id, period: row.next_period }, 'opening a period failed');
      }
    }
    const rows = await this.claims.claimObligationTimers(now.getTime(), this.batchSize, this.leaseMs);
    if (rows.length === 0) return { periodsOpened, timersFired: 0, eventsWritten: 0, unchanged: 0, refused: 0 };
    const result = await this.handler.handleMany(
      reportDecider,
      rows.map((row) => ({ streamId: row.stream_id, command: commandOfTimer(row, now) })),
    );
    for (const { streamId, command, error } of result.refused) {
      this.log.warn({ streamId, command: command.type, err: error }, 'a timer fired and was refused');
    }
    const stuck = rows.filter((r) => r.attempts >= this.maxAttempts).map((r) => r.timer_id);
    if (stuck.length > 0) {
      this.log.error({ timers: stuck.slice(0, 20), count: stuck.length }, 'timers fired repeatedly to no effect; dropped');
      await this.claims.discardObligationTimers(stuck);
    }
    return {
      periodsOpened,
      timersFired: rows.length,
      eventsWritten: result.written,
      unchanged: result.unchanged,
      refused: result.refused.length,
    };
  }

  /** Passes until nothing is due: for tests and benchmarks that move the clock. */
  async runUntilIdle(maxPasses = 10_000): Promise<PassResult> {
    const total = { periodsOpened: 0, timersFired: 0, eventsWritten: 0, unchanged: 0, refused: 0 };
    for (let pass = 0; pass < maxPasses; pass++) {
      const r = await this.runOnce();
      total.periodsOpened += r.periodsOpened;
      total.timersFired += r.timersFired;
      total.eventsWritten += r.eventsWritten;
      total.unchanged += r.unchanged;
      total.refused += r.refused;
      if (r.timersFired === 0 && r.periodsOpened === 0) break;
    }
    return total;
  }

  /** Runs passes in the background: straight on while batches come back full, else every `idleMs`. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        let busy = false;
        try {
          const r = await this.runOnce();
          busy = r.timersFired >= this.batchSize || r.periodsOpened > 0;
        } catch (error) {
          this.log.error({ err: error }, 'deadline pass failed; retrying');
        }
        if (this.stopping) break;
        await new Promise<void>((resolve) => {
          // A full batch yields to the event loop only, so HTTP requests interleave with the backlog.
          const timer = busy ? setImmediate(resolve) : setTimeout(resolve, this.idleMs);
          this.wake = () => {
            if (busy) clearImmediate(timer as NodeJS.Immediate);
            else clearTimeout(timer as NodeJS.Timeout);
            resolve();
          };
        });
        this.wake = undefined;
      }
    })();
  }

  /** Finishes the pass in progress, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }
}
