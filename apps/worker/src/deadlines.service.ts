import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { CommandHandler } from '@app/commanding';
import { AppConfig } from '@app/config';
import { CLOCK, type Clock, LOGGER, READ_STORE } from '@app/platform';
import type { ReadStore } from '@app/readstore';
import { DeadlineScheduler, ReportingService, TimerClaims } from '@app/reporting';

/** Runs the deadline scheduler in this process (unless SCHEDULER=off). */
@Injectable()
export class DeadlinesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly claims: TimerClaims;
  readonly scheduler: DeadlineScheduler;

  constructor(
    @Inject(READ_STORE) readStore: ReadStore,
    handler: CommandHandler,
    reporting: ReportingService,
    @Inject(CLOCK) clock: Clock,
    @Inject(LOGGER) logger: Logger,
    private readonly config: AppConfig,
  ) {
    this.claims = new TimerClaims(readStore);
    this.scheduler = new DeadlineScheduler(
      this.claims,
      handler,
      reporting,
      () => clock.now(),
      logger.child({ part: 'deadlines' }),
      {
        batchSize: config.SCHEDULER_BATCH_SIZE,
        idleMs: config.SCHEDULER_INTERVAL_MS,
        leaseMs: config.SCHEDULER_CLAIM_MS,
      },
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER === 'on') this.scheduler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}
