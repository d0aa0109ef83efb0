import { Counter, Histogram, type Registry } from 'prom-client';
import type { CommandObserver, CommandOutcome } from '@app/commanding';

/** Seconds: a command is a few milliseconds; a batch (an import, a period opening, a timer pass) takes up to seconds. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The command handler's observer as Prometheus series. Labels are the command's type (a fixed set,
 * from the code) and its outcome, so the number of series stays bounded whatever callers send.
 */
export class CommandMetrics implements CommandObserver {
  private readonly total: Counter<'command' | 'outcome'>;
  private readonly duration: Histogram<'command'>;
  private readonly conflicts: Counter<'command'>;

  constructor(registry: Registry) {
    this.total = new Counter({
      name: 'vwu_commands_total',
      help: 'Commands settled by the command handler, by command type and outcome (ok, replayed, rejected, conflict, precondition, error)',
      labelNames: ['command', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'vwu_command_duration_seconds',
      help: 'Time per command handler call (one command, or one batch), retries included',
      labelNames: ['command'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    this.conflicts = new Counter({
      name: 'vwu_command_conflicts_total',
      help: 'Appends refused because another writer moved the stream first, each retried',
      labelNames: ['command'],
      registers: [registry],
    });
  }

  settled(type: string, outcome: CommandOutcome, seconds: number, count: number): void {
    this.total.inc({ command: type, outcome }, count);
    this.duration.observe({ command: type }, seconds);
  }

  retried(type: string): void {
    this.conflicts.inc({ command: type });
  }
}
