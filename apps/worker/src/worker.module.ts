import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DomainModule, MetricsModule, WORK_STATUS, type WorkStatus } from '@app/platform';
import { DeadlinesService } from './deadlines.service';
import { DigestService } from './digest.service';
import { ProjectionsService } from './projections.service';
import { RelayService } from './relay.service';
import { OpenPeriodObligationsHandler, PeriodOpenerSaga } from './sagas/period-opener.saga';
import { SagaRunner } from './sagas/saga-runner';
import { SubscriptionHost } from './subscription-host';

/**
 * The subscription host with what runs on it: projections, the period-opener saga, the Kafka
 * relay (when KAFKA_BROKERS is set), and the deadline scheduler. Expects PlatformModule beside it.
 */
@Module({
  imports: [CqrsModule.forRoot(), DomainModule, MetricsModule],
  providers: [
    SubscriptionHost,
    ProjectionsService,
    PeriodOpenerSaga,
    OpenPeriodObligationsHandler,
    SagaRunner,
    DeadlinesService,
    RelayService,
    DigestService,
    {
      provide: WORK_STATUS,
      useFactory: (host: SubscriptionHost): WorkStatus => ({ subscriptions: () => host.subscriptionStates() }),
      inject: [SubscriptionHost],
    },
  ],
  exports: [SubscriptionHost, DeadlinesService, RelayService, DigestService],
})
export class WorkerModule {}
