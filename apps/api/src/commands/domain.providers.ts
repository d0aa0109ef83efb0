import type { Provider } from '@nestjs/common';
import { CommandHandler } from '@app/commanding';
import { DirectiveService } from '@app/directives';
import { EVENT_STORE, type EventStore } from '@app/eventstore';
import { Access, loadLevels, UnitDirectory, UnitService } from '@app/org';
import { AppConfig } from '@app/config';
import { CLOCK, type Clock } from '@app/platform';
import { ReportingService } from '@app/reporting';

/** The application services of each context, built on the platform's store, handler and clock. */
export const domainProviders: Provider[] = [
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
    useFactory: (handler: CommandHandler, directory: UnitDirectory, access: Access, directives: DirectiveService, clock: Clock) =>
      new ReportingService(handler, directory, access, directives, () => clock.now()),
    inject: [CommandHandler, UnitDirectory, Access, DirectiveService, CLOCK],
  },
];
