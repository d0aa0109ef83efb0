import type { RecordedEvent } from '@app/eventstore';

/**
 * A stored event as the @nestjs/cqrs saga streams see it: an instance of a class per event type,
 * so `ofType` works, holding the recorded event with its position and metadata. Only the
 * checkpointed subscription creates these (see SagaRunner); nothing publishes them in memory.
 */
export class StoredEvent {
  constructor(readonly recorded: RecordedEvent) {}
}

export class ReportingPeriodOpenedEvent extends StoredEvent {}

const CLASSES: Readonly<Record<string, new (recorded: RecordedEvent) => StoredEvent>> = {
  ReportingPeriodOpened: ReportingPeriodOpenedEvent,
};

export const storedEventOf = (recorded: RecordedEvent): StoredEvent => new (CLASSES[recorded.type] ?? StoredEvent)(recorded);
