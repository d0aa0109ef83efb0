import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { Public } from '../http/public.decorator';

type Readiness = { ready: boolean; headPosition?: number; error?: string };

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly config: AppConfig,
  ) {}

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
