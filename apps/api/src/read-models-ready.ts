import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Projector } from '@app/readstore';

/** The API queries read-model tables; make sure they exist even before a worker has run. */
@Injectable()
export class ReadModelsReady implements OnModuleInit {
  constructor(private readonly projector: Projector) {}

  async onModuleInit(): Promise<void> {
    await this.projector.prepare();
  }
}
