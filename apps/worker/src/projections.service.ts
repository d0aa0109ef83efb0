import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@app/platform';
import { Projector } from '@app/readstore';
import { SubscriptionHost } from './subscription-host';

/** Registers every projection with the subscription host: each a checkpointed subscription of its own. */
@Injectable()
export class ProjectionsService implements OnModuleInit {
  constructor(
    private readonly projector: Projector,
    private readonly host: SubscriptionHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.projector.prepare();
    for (const projection of this.projector.projections) {
      this.host.register({
        name: `projection:${projection.name}`,
        filter: projection.filter,
        batchSize: 1000,
        checkpoints: {
          load: (name) => this.projector.checkpoint(this.projector.store.db, name.slice('projection:'.length)),
          store: async () => undefined,
        },
        handlerStoresCheckpoint: true,
        handle: async (batch) => {
          await this.projector.project(projection, batch);
        },
      });
    }
    this.logger.info({ projections: this.projector.projections.map((p) => p.name) }, 'projections registered');
  }
}
