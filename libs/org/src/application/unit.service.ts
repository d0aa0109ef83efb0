import { type ActingContext, commandMetadata } from '@app/auth';
import type { BatchResult, CommandHandler, CommandResult } from '@app/commanding';
import { ValidationError } from '@app/kernel';
import { DEFAULT_LEVELS, type LevelDefinition } from '../domain/levels';
import { parseCsv } from '../domain/csv';
import { planUnitImport } from '../domain/unit-import';
import type { RegisterUnit, UnitCommand } from '../domain/unit.commands';
import { unitDecider } from '../domain/unit.decider';
import type { OfficerRole } from '../domain/unit.events';
import { unitStreamId } from '../unit.streams';
import type { Access } from './access';
import type { UnitDirectory } from './unit-directory';

const isUnitId = (value: string): boolean => /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/.test(value);

export type RegisterUnitInput = Readonly<{
  unitId?: string;
  code: string;
  name: string;
  level: string;
  parentId: string | null;
  validFrom: string;
}>;

/**
 * The org context's commands as the API calls them: refresh the directory, authorize, look up
 * what the decider needs, and hand the command to the generic handler.
 */
export class UnitService {
  constructor(
    private readonly handler: CommandHandler,
    private readonly directory: UnitDirectory,
    private readonly access: Access,
    private readonly now: () => Date,
    readonly levels: readonly LevelDefinition[] = DEFAULT_LEVELS,
  ) {}

  private run(context: ActingContext, command: Omit<UnitCommand, 'metadata'>): Promise<CommandResult> {
    const full = { ...command, metadata: commandMetadata(context, this.now()) } as UnitCommand;
    return this.handler.handle(unitDecider, unitStreamId(full.data.unitId), full, { expectedRevision: context.expectedRevision });
  }

  async register(context: ActingContext, input: RegisterUnitInput): Promise<CommandResult> {
    await this.directory.refresh();
    const { principal } = context;
    if (input.parentId === null) {
      // A root can only be registered by an admin token minted for it (the bootstrap admin).
      this.access.requireActingFor(principal, input.unitId ?? input.code, ['admin']);
    } else if (this.directory.get(input.parentId)) {
      this.access.requireRoleOver(principal, input.parentId, ['admin']);
    } else {
      this.access.requireRole(principal, ['admin']);
    }
    const unitId = input.unitId ?? input.code;
    return this.run(context, {
      type: 'RegisterUnit',
      data: {
        unitId,
        code: input.code,
        name: input.name,
        level: input.level,
        parentId: input.parentId,
        parent: this.directory.summary(input.parentId),
        codeTakenBy: this.directory.unitIdByCode(input.code) ?? null,
        levels: this.levels,
        validFrom: input.validFrom,
      },
    });
  }

  private async manage(context: ActingContext, unitId: string): Promise<void> {
    await this.directory.refresh();
    this.access.requireUnit(unitId);
    this.access.requireRoleOver(context.principal, unitId, ['admin']);
  }

  async rename(context: ActingContext, unitId: string, input: { name: string; validFrom: string }): Promise<CommandResult> {
    await this.manage(context, unitId);
    return this.run(context, { type: 'RenameUnit', data: { unitId, ...input } });
  }

  async move(context: ActingContext, unitId: string, input: { toParentId: string; validFrom: string }): Promise<CommandResult> {
    await this.manage(context, unitId);
    if (this.directory.get(input.toParentId)) this.access.requireRoleOver(context.principal, input.toParentId, ['admin']);
    return this.run(context, {
      type: 'MoveUnit',
      data: {
        unitId,
        toParentId: input.toParentId,
        newParent: this.directory.summary(input.toParentId),
        newParentAncestorIds: this.directory.ancestors(input.toParentId),
        levels: this.levels,
        validFrom: input.validFrom,
      },
    });
  }

  async merge(context: ActingContext, unitId: string, input: { intoUnitId: string; validFrom: string }): Promise<CommandResult> {
    await this.manage(context, unitId);
    if (this.directory.get(input.intoUnitId)) this.access.requireRoleOver(context.principal, input.intoUnitId, ['admin']);
    return this.run(context, {
      type: 'MergeUnit',
      data: { unitId, intoUnitId: input.intoUnitId, into: this.directory.summary(input.intoUnitId), validFrom: input.validFrom },
    });
  }

  async dissolve(context: ActingContext, unitId: string, input: { reason: string; validFrom: string }): Promise<CommandResult> {
    await this.manage(context, unitId);
    return this.run(context, { type: 'DissolveUnit', data: { unitId, ...input } });
  }

  async appoint(
    context: ActingContext,
    unitId: string,
    input: { userId: string; role: OfficerRole; department?: string; validFrom: string },
  ): Promise<CommandResult> {
    await this.manage(context, unitId);
    return this.run(context, { type: 'AppointOfficer', data: { unitId, ...input } });
  }

  async relieve(context: ActingContext, unitId: string, input: { userId: string; validFrom: string }): Promise<CommandResult> {
    await this.manage(context, unitId);
    return this.run(context, { type: 'RelieveOfficer', data: { unitId, ...input } });
  }

  /**
   * Imports a CSV of units: the whole file is checked first and refused with every bad line
   * named; otherwise every unit is registered through the decider and appended in one batch.
   */
  async importCsv(context: ActingContext, csv: string, validFrom: string): Promise<BatchResult> {
    await this.directory.refresh();
    this.access.requireRole(context.principal, ['admin']);
    // A repeat of an import that went through (same Idempotency-Key) answers as the first time did,
    // before the file is checked against codes that now exist because of that very import.
    const head = csv.slice(0, 8192).split(/\r?\n/).slice(0, 2).join('\n');
    const firstCode = parseCsv(head, { maxLineLength: 8192, maxLines: 2 }).records[1]?.fields[0]?.trim();
    if (firstCode && isUnitId(firstCode)) {
      const position = await this.handler.positionOfCommand(unitStreamId(firstCode), context.commandId);
      if (position !== undefined) {
        const lines = csv.split('\n').filter((line) => line.trim().length > 0).length - 1;
        return { streams: lines, events: 0, position, replayed: true };
      }
    }
    const plan = planUnitImport(csv, {
      existing: (code) => {
        const unitId = this.directory.unitIdByCode(code);
        return unitId ? (this.directory.summary(unitId) ?? undefined) : undefined;
      },
      levels: this.levels,
      validFrom,
      newId: (code) => code,
    });
    if (!plan.ok) {
      throw new ValidationError(
        'UNIT_IMPORT.INVALID',
        `The file was not imported: ${plan.errors.length} line(s) are wrong`,
        plan.errors.map((e) => ({ field: `line ${e.line}`, message: `${e.reason}: ${e.message}` })),
      );
    }
    // Every unit must hang below the importer's own unit (or be the importer's root).
    for (const unit of plan.units) {
      const parentKnown = unit.parentId !== null && this.directory.get(unit.parentId) !== undefined;
      if (parentKnown) this.access.requireRoleOver(context.principal, unit.parentId as string, ['admin']);
      if (unit.parentId === null) this.access.requireActingFor(context.principal, unit.unitId, ['admin']);
    }
    const metadata = commandMetadata(context, this.now());
    const planned = new Map(plan.units.map((u) => [u.unitId, u]));
    return this.handler.handleNewStreams(
      unitDecider,
      plan.units.map((unit): { streamId: string; command: RegisterUnit } => {
        const parent = unit.parentId ? (planned.get(unit.parentId) ?? this.directory.get(unit.parentId)) : undefined;
        return {
          streamId: unitStreamId(unit.unitId),
          command: {
            type: 'RegisterUnit',
            metadata,
            data: {
              ...unit,
              parent: parent ? { unitId: parent.unitId, level: parent.level, status: 'active' } : null,
              codeTakenBy: null,
              levels: this.levels,
            },
          },
        };
      }),
    );
  }
}
