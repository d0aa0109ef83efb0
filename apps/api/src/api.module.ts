import { Module } from '@nestjs/common';
import { HealthController } from './health/health.controller';

/** The HTTP adapter: controllers only. It expects PlatformModule to be imported beside it. */
@Module({ controllers: [HealthController] })
export class ApiModule {}
