import { Module } from '@nestjs/common';
import { ProjectionsService } from './projections.service';
import { SubscriptionHost } from './subscription-host';

/** The subscription host. Projections, sagas and the relay register with it. Expects PlatformModule beside it. */
@Module({ providers: [SubscriptionHost, ProjectionsService], exports: [SubscriptionHost] })
export class WorkerModule {}
