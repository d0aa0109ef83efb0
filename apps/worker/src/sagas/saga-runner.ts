import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus, type ICommand } from '@nestjs/cqrs';
// The key @Saga() stores its property names under; @nestjs/cqrs does not re-export it.
import { SAGA_METADATA } from '@nestjs/cqrs/dist/decorators/constants';
import type { Logger } from 'pino';
import { from, lastValueFrom, merge, type Observable, toArray } from 'rxjs';
import type { RecordedEvent } from '@app/eventstore';
import { LOGGER, PERIOD_OPENER_SUBSCRIPTION } from '@app/platform';
import { SubscriptionHost } from '../subscription-host';
import { PeriodOpenerSaga } from './period-opener.saga';
import { type StoredEvent, storedEventOf } from './stored-event';

type SagaFn = (events$: Observable<StoredEvent>) => Observable<ICommand>;

/** The @Saga() streams of a provider, bound to it. */
export const sagasOf = (instance: object): SagaFn[] => {
  const keys = (Reflect.getMetadata(SAGA_METADATA, instance.constructor) ?? []) as string[];
  return keys.map((key) => (instance as Record<string, SagaFn>)[key].bind(instance));
};

/**
 * Feeds the @nestjs/cqrs saga streams from a checkpointed subscription instead of in-memory
 * publishing: each batch of stored events goes through every saga, the commands they map to run
 * through the CommandBus in order, and only then is the checkpoint stored. A crash replays the
 * batch; the command handlers are idempotent, so a saga sees exactly the stored events, in order,
 * after a restart too. Sagas must be stateless maps and filters of the stream (no buffering across
 * batches), which is all a saga here needs.
 */
@Injectable()
export class SagaRunner implements OnModuleInit {
  constructor(
    private readonly host: SubscriptionHost,
    private readonly commandBus: CommandBus,
    private readonly periodOpener: PeriodOpenerSaga,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.register(PERIOD_OPENER_SUBSCRIPTION.name, [...PERIOD_OPENER_SUBSCRIPTION.eventTypes], sagasOf(this.periodOpener));
  }

  private register(name: string, eventTypes: string[], sagas: SagaFn[]): void {
    this.host.register({
      name,
      filter: { eventTypes },
      batchSize: 50,
      handle: async (batch: readonly RecordedEvent[]) => {
        const events$ = from(batch.map(storedEventOf));
        const commands = await lastValueFrom(merge(...sagas.map((saga) => saga(events$))).pipe(toArray()));
        for (const command of commands) await this.commandBus.execute(command);
        if (commands.length > 0) this.logger.info({ saga: name, commands: commands.length }, 'saga commands done');
      },
    });
  }
}
