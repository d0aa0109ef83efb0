import { Module } from '@nestjs/common';
import { DomainModule, MetricsModule } from '@app/platform';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditController } from './audit/audit.controller';
import { ReadModelsReady } from './read-models-ready';
import { DirectiveQueriesController } from './directives/directive-queries.controller';
import { DirectivesController } from './directives/directives.controller';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { AuthGuard } from './http/auth.guard';
import { ErrorFilter } from './http/error.filter';
import { ReportQueriesController } from './reports/report-queries.controller';
import { ReportsController } from './reports/reports.controller';
import { StreamsController } from './streams/streams.controller';
import { UnitTreeController } from './units/unit-tree.controller';
import { UnitsController } from './units/units.controller';

/** The HTTP adapter: controllers only. It expects PlatformModule to be imported beside it. */
@Module({
  imports: [DomainModule, MetricsModule],
  controllers: [
    AuditController,
    HealthController,
    MetricsController,
    UnitsController,
    DirectivesController,
    ReportsController,
    StreamsController,
    UnitTreeController,
    DirectiveQueriesController,
    ReportQueriesController,
  ],
  providers: [ReadModelsReady, { provide: APP_GUARD, useClass: AuthGuard }, { provide: APP_FILTER, useClass: ErrorFilter }],
})
export class ApiModule {}
