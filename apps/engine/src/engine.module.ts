import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '@app/config';
import { type Clock, PlatformModule, systemClock } from '@app/platform';
import { ApiModule } from '../../api/src/api.module';
import { WorkerModule } from '../../worker/src/worker.module';

/** The embedded default: api and worker in one process over one SQLite file. */
@Module({})
export class EngineModule {
  static forRoot(config: AppConfig, logger: Logger, clock: Clock = systemClock): DynamicModule {
    return { module: EngineModule, imports: [PlatformModule.forRoot(config, logger, clock), ApiModule, WorkerModule] };
  }
}
