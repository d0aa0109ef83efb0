import { Injectable } from '@nestjs/common';
import { CommandHandler as HandlesCommand, type ICommandHandler, ofType, Saga } from '@nestjs/cqrs';
import { map, type Observable } from 'rxjs';
import type { ReportingPeriodOpened } from '@app/directives';
import type { BatchResult } from '@app/commanding';
import { ReportingService } from '@app/reporting';
import { ReportingPeriodOpenedEvent, type StoredEvent } from './stored-event';

/** Open one obligation per current assignee for the period the event recorded. */
export class OpenPeriodObligations {
  constructor(
    readonly opened: ReportingPeriodOpened['data'],
    readonly eventId: string,
    readonly correlationId: string,
  ) {}
}

/** The period opener: a period recorded on a directive becomes its obligations, in one batched append. */
@Injectable()
export class PeriodOpenerSaga {
  @Saga()
  periodOpened = (events$: Observable<StoredEvent>): Observable<OpenPeriodObligations> =>
    events$.pipe(
      ofType(ReportingPeriodOpenedEvent),
      map(
        ({ recorded }) =>
          new OpenPeriodObligations(
            recorded.data as ReportingPeriodOpened['data'],
            recorded.id,
            recorded.metadata.correlationId ?? recorded.id,
          ),
      ),
    );
}

@HandlesCommand(OpenPeriodObligations)
export class OpenPeriodObligationsHandler implements ICommandHandler<OpenPeriodObligations, BatchResult> {
  constructor(private readonly reporting: ReportingService) {}

  execute({ opened, eventId, correlationId }: OpenPeriodObligations): Promise<BatchResult> {
    return this.reporting.openObligationsFor(opened, eventId, correlationId);
  }
}
