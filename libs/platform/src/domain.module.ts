import { Module, type Provider } from '@nestjs/common';
import { loadHolidayOverrides, WorkingCalendar } from '@app/calendar';
import { CommandHandler } from '@app/commanding';
import { AppConfig } from '@app/config';
import { DirectiveService } from '@app/directives';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { Access, loadLevels, UnitDirectory, UnitService } from '@app/org';
import { ReportingService } from '@app/reporting';
import { CLOCK, type Clock } from './clock';

/** The Vietnamese working calendar, adjusted by HOLIDAYS_FILE when set. */
export const workingCalendarOf = (config: AppConfig): WorkingCalendar =>
  WorkingCalendar.vietnam(config.HOLIDAYS_FILE ? loadHolidayOverrides(config.HOLIDAYS_FILE) : {});

/** The application services of each context, built on the platform's store, handler and clock. */
const domainProviders: Provider[] = [
  { provide: WorkingCalendar, useFactory: workingCalendarOf, inject: [AppConfig] },
  { provide: UnitDirectory, useFactory: (store: EventStore) => new UnitDirectory(store), inject: [EVENT_STORE] },
  { provide: Access, useFactory: (directory: UnitDirectory) => new Access(directory), inject: [UnitDirectory] },
  {
    provide: UnitService,
    useFactory: (handler: CommandHandler, directory: UnitDirectory, access: Access, clock: Clock, config: AppConfig) =>
      new UnitService(handler, directory, access, () => clock.now(), loadLevels(config.LEVELS_FILE)),
    inject: [CommandHandler, UnitDirectory, Access, CLOCK, AppConfig],
  },
  {
    provide: DirectiveService,
    useFactory: (handler: CommandHandler, directory: UnitDirectory, access: Access, clock: Clock) =>
      new DirectiveService(handler, directory, access, () => clock.now()),
    inject: [CommandHandler, UnitDirectory, Access, CLOCK],
  },
  {
    provide: ReportingService,
    useFactory: (
      handler: CommandHandler,
      directory: UnitDirectory,
      access: Access,
      directives: DirectiveService,
      clock: Clock,
      calendar: WorkingCalendar,
    ) => new ReportingService(handler, directory, access, directives, () => clock.now(), calendar),
    inject: [CommandHandler, UnitDirectory, Access, DirectiveService, CLOCK, WorkingCalendar],
  },
];

/**
 * The application services, one instance per process: the api and the worker both import this
 * module, and in the embedded engine they share it (one unit directory, one calendar).
 */
@Module({ providers: domainProviders, exports: domainProviders.map((p) => (p as { provide: unknown }).provide as never) })
export class DomainModule {}
