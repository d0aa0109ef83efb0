import Database from 'better-sqlite3';
import { type ActingContext, type Role } from '@app/auth';
import { CommandHandler } from '@app/commanding';
import { DirectiveService } from '@app/directives';
import { SqliteEventStore } from '@app/eventstore';
import { Access, UnitDirectory, UnitService } from '@app/org';
import { ReportingService } from '@app/reporting';

/** The application services over one SQLite file, as the API wires them, with a fixed clock. */
export class World {
  readonly store: SqliteEventStore;
  readonly handler: CommandHandler;
  readonly directory: UnitDirectory;
  readonly units: UnitService;
  readonly directives: DirectiveService;
  readonly reporting: ReportingService;
  private commandCounter = 0;

  constructor(file: string, now = new Date('2026-03-01T02:00:00Z')) {
    this.store = SqliteEventStore.open(file);
    this.handler = new CommandHandler(this.store);
    this.directory = new UnitDirectory(this.store);
    const access = new Access(this.directory);
    const clock = () => now;
    this.units = new UnitService(this.handler, this.directory, access, clock);
    this.directives = new DirectiveService(this.handler, this.directory, access, clock);
    this.reporting = new ReportingService(this.handler, this.directory, access, this.directives, clock);
  }

  as(userId: string, unitId: string, roles: Role[]): ActingContext {
    this.commandCounter += 1;
    return {
      principal: { userId, unitId, roles, oversight: [] },
      commandId: `bench-${this.commandCounter}`,
      correlationId: 'bench',
    };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** A hierarchy CSV: TW → province P → district D → `communes` communes C0001…; returns the commune ids. */
export const smallHierarchy = (communes: number): { csv: string; communeIds: string[] } => {
  const lines = ['code,name,level,parent_code', 'TW,Trung ương,central,', 'P,Tỉnh,province,TW', 'D,Huyện,district,P'];
  const communeIds: string[] = [];
  for (let i = 1; i <= communes; i++) {
    const id = `C${String(i).padStart(5, '0')}`;
    communeIds.push(id);
    lines.push(`${id},Xã ${i},commune,D`);
  }
  return { csv: `${lines.join('\n')}\n`, communeIds };
};

/**
 * A directive of `issuer` with one count target measured at `level`, drafted (not issued). Monthly by
 * default; `on_request` when nothing may open on schedule while a test or a benchmark runs.
 */
export const issueSimpleDirective = async (
  world: World,
  directiveId: string,
  issuer = 'P',
  level = 'commune',
  cadence: 'monthly' | 'on_request' = 'monthly',
): Promise<void> => {
  await world.directives.draft(world.as('officer', issuer, ['officer']), {
    directiveId,
    number: '01/KH',
    kind: 'plan',
    title: 'Kế hoạch thử',
    issuerUnitId: issuer,
    issuingBody: 'Ban Thường vụ',
    documentDate: '2026-01-01',
    basisDirectiveId: null,
    period: { from: '2026-01-01', to: '2026-12-31' },
    targets: [{ targetId: 't1', code: '(1)', title: 'Hoạt động', shape: 'count_with_floor', measuredAtLevel: level, value: 2 }],
    schedule: { cadence },
  });
};

/** Drafts that directive and issues it to every unit at `level` under `issuer`. */
export const draftAndIssue = async (
  world: World,
  directiveId: string,
  issuer: string,
  level: string,
  cadence: 'monthly' | 'on_request' = 'monthly',
): Promise<void> => {
  await world.directory.refresh();
  await issueSimpleDirective(world, directiveId, issuer, level, cadence);
  await world.directives.issue(world.as('leader', issuer, ['leader']), directiveId, {
    signedBy: 'Chủ tịch',
    scope: { level, underUnitId: issuer },
  });
};

export const rawSingleInsert = (file: string) => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
};
