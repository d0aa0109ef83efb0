import type { Command } from '@app/kernel';
import type { LevelDefinition } from './levels';
import type { OfficerRole } from './unit.events';

/**
 * Commands on one unit. Whatever the decider needs to know about OTHER units (the parent, the
 * merge target, the new parent's ancestors, who holds a code) is looked up by the handler before
 * `decide` and arrives here, so the decider stays pure.
 */
export type UnitStatus = 'active' | 'merged' | 'dissolved';

/** What a look-up tells about another unit; `null` in a command means the look-up found nothing. */
export type UnitSummary = Readonly<{ unitId: string; level: string; status: UnitStatus }>;

export type RegisterUnit = Command<
  'RegisterUnit',
  {
    unitId: string;
    code: string;
    name: string;
    level: string;
    /** The parent asked for; null registers a root, which must be at the top level. */
    parentId: string | null;
    /** Look-up of `parentId`. */
    parent: UnitSummary | null;
    /** Look-up: the unit that already holds `code`, if any. */
    codeTakenBy: string | null;
    levels: readonly LevelDefinition[];
    validFrom: string;
  }
>;

export type RenameUnit = Command<'RenameUnit', { unitId: string; name: string; validFrom: string }>;

export type MoveUnit = Command<
  'MoveUnit',
  {
    unitId: string;
    toParentId: string;
    /** Look-up of `toParentId`. */
    newParent: UnitSummary | null;
    /** Look-up: every ancestor of the new parent (any order), to refuse moving a unit under its own subtree. */
    newParentAncestorIds: readonly string[];
    levels: readonly LevelDefinition[];
    validFrom: string;
  }
>;

export type MergeUnit = Command<
  'MergeUnit',
  {
    unitId: string;
    intoUnitId: string;
    /** Look-up of `intoUnitId`. */
    into: UnitSummary | null;
    validFrom: string;
  }
>;

export type DissolveUnit = Command<'DissolveUnit', { unitId: string; reason: string; validFrom: string }>;

export type AppointOfficer = Command<
  'AppointOfficer',
  { unitId: string; userId: string; role: OfficerRole; department?: string; validFrom: string }
>;

export type RelieveOfficer = Command<'RelieveOfficer', { unitId: string; userId: string; validFrom: string }>;

export type UnitCommand = RegisterUnit | RenameUnit | MoveUnit | MergeUnit | DissolveUnit | AppointOfficer | RelieveOfficer;
