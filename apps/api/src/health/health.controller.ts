import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { CLOCK, type Clock, READ_STORE, WORK_STATUS, type WorkStatus } from '@app/platform';
import type { ReadStore } from '@app/readstore';
import { TimerClaims } from '@app/reporting';
import { Public } from '../http/public.decorator';

type Readiness = { ready: boolean; headPosition?: number; error?: string };

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly config: AppConfig,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * The background work: each subscription's position and lag (projections, the period-opener saga,
   * the Kafka relay as `relay:kafka`) when this process runs the worker, and the deadline timers
   * (pending, due and not fired yet, held while a report awaits review).
   */
  @Get('work')
  async work() {
    let subscriptions: Awaited<ReturnType<WorkStatus['subscriptions']>> | null = null;
    try {
      subscriptions = await this.moduleRef.get<WorkStatus>(WORK_STATUS, { strict: false }).subscriptions();
    } catch {
      subscriptions = null; // an api-only process runs no subscriptions
    }
    let timers: Awaited<ReturnType<TimerClaims['counts']>> | null = null;
    try {
      timers = await new TimerClaims(this.readStore).counts(this.clock.now().getTime());
    } catch {
      timers = null; // read models not created yet
    }
    return { mode: this.config.mode, relay: this.config.kafkaBrokers.length > 0 ? 'on' : 'off', subscriptions, timers };
  }

  /** Liveness and readiness in one answer; 503 while the store cannot be reached. */
  @Get()
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const store = await this.readiness();
    reply.status(store.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: store.ready ? 'ok' : 'unavailable', live: true, ready: store.ready, mode: this.config.mode, store };
  }

  @Get('live')
  live() {
    return { live: true };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const store = await this.readiness();
    reply.status(store.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { ready: store.ready, store };
  }

  private async readiness(): Promise<Readiness> {
    try {
      await this.store.ping();
      return { ready: true, headPosition: await this.store.headPosition() };
    } catch (error) {
      return { ready: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
