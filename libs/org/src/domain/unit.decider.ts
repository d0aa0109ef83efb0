import { type Decider, type FieldError, assertNever } from '@app/kernel';
import { type LevelDefinition, findLevel, isLevelAllowedUnder, topLevel } from './levels';
import type {
  AppointOfficer,
  DissolveUnit,
  MergeUnit,
  MoveUnit,
  RegisterUnit,
  RelieveOfficer,
  RenameUnit,
  UnitCommand,
} from './unit.commands';
import { OFFICER_ROLES, type OfficerRole, type UnitEvent } from './unit.events';
import { unitErrors } from './unit.errors';
import { blankFields, cleanText, dateProblems, isBlank } from './validation';

export type Officer = Readonly<{ role: OfficerRole; department?: string; since: string }>;

type UnitFacts = Readonly<{
  unitId: string;
  code: string;
  name: string;
  level: string;
  parentId: string | null;
  /** By user id. */
  officers: ReadonlyMap<string, Officer>;
  /** validFrom of the latest event: no change may be dated before it. */
  lastChangeOn: string;
}>;

export type UnitState =
  | Readonly<{ status: 'none' }>
  | (Readonly<{ status: 'active' }> & UnitFacts)
  | (Readonly<{ status: 'merged'; intoUnitId: string }> & UnitFacts)
  | (Readonly<{ status: 'dissolved'; reason: string }> & UnitFacts);

type RegisteredUnit = Exclude<UnitState, { status: 'none' }>;
type ActiveUnit = Extract<UnitState, { status: 'active' }>;

export const initialUnitState = (): UnitState => ({ status: 'none' });

export const evolveUnit = (state: UnitState, event: UnitEvent): UnitState => {
  if (event.type === 'UnitRegistered') {
    const { validFrom, ...facts } = event.data;
    return { status: 'active', ...facts, officers: new Map(), lastChangeOn: validFrom };
  }
  if (state.status === 'none') return state;
  const next = { ...state, lastChangeOn: event.data.validFrom };
  switch (event.type) {
    case 'UnitRenamed':
      return { ...next, name: event.data.name };
    case 'UnitMoved':
      return { ...next, parentId: event.data.toParentId };
    case 'UnitMerged':
      return { ...next, status: 'merged', intoUnitId: event.data.intoUnitId };
    case 'UnitDissolved':
      return { ...next, status: 'dissolved', reason: event.data.reason };
    case 'OfficerAppointed': {
      const { userId, validFrom, ...appointment } = event.data;
      return { ...next, officers: new Map(state.officers).set(userId, { ...appointment, since: validFrom }) };
    }
    case 'OfficerRelieved': {
      const officers = new Map(state.officers);
      officers.delete(event.data.userId);
      return { ...next, officers };
    }
    default:
      return assertNever(event);
  }
};

export const decideUnit = (command: UnitCommand, state: UnitState): UnitEvent[] => {
  switch (command.type) {
    case 'RegisterUnit':
      return register(command.data, state);
    case 'RenameUnit':
      return rename(command.data, state);
    case 'MoveUnit':
      return move(command.data, state);
    case 'MergeUnit':
      return merge(command.data, state);
    case 'DissolveUnit':
      return dissolve(command.data, state);
    case 'AppointOfficer':
      return appoint(command.data, state);
    case 'RelieveOfficer':
      return relieve(command.data, state);
    default:
      return assertNever(command);
  }
};

export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState> = {
  initialState: initialUnitState,
  evolve: evolveUnit,
  decide: decideUnit,
};

const register = (data: RegisterUnit['data'], state: UnitState): UnitEvent[] => {
  const { unitId, code, name, parentId, validFrom } = data;
  requireValid(
    blankFields({ unitId, code, name, level: data.level }),
    parentId !== null && isBlank(parentId) ? [{ field: 'parentId', message: 'must be a unit id or null' }] : [],
    dateProblems('validFrom', validFrom),
  );
  if (state.status !== 'none') throw unitErrors.alreadyRegistered(state.unitId);
  const level = levelOf(data.levels, data.level, 'level');
  if (data.codeTakenBy !== null && data.codeTakenBy !== unitId) throw unitErrors.codeTaken(cleanText(code), data.codeTakenBy);
  if (parentId === null) {
    const top = topLevel(data.levels) ?? level;
    if (level.depth !== top.depth) throw unitErrors.rootNotTopLevel(level.code, top.code);
  } else {
    const parent = data.parent;
    if (parent === null || parent.unitId !== parentId) throw unitErrors.parentNotFound(parentId);
    if (parent.status !== 'active') throw unitErrors.parentInactive(parentId, parent.status);
    const parentLevel = levelOf(data.levels, parent.level, 'parentId');
    if (!isLevelAllowedUnder(level, parentLevel)) throw unitErrors.levelNotBelowParent('level', level.code, parentLevel.code);
  }
  return [
    {
      type: 'UnitRegistered',
      data: { unitId, code: cleanText(code), name: cleanText(name), level: level.code, parentId, validFrom },
    },
  ];
};

const rename = ({ name, validFrom }: RenameUnit['data'], state: UnitState): UnitEvent[] => {
  requireValid(blankFields({ name }), dateProblems('validFrom', validFrom));
  const unit = active(state);
  const newName = cleanText(name);
  if (newName === unit.name) return [];
  notBefore(unit, validFrom);
  return [{ type: 'UnitRenamed', data: { name: newName, validFrom } }];
};

const move = (data: MoveUnit['data'], state: UnitState): UnitEvent[] => {
  const { toParentId, newParent, validFrom } = data;
  requireValid(blankFields({ toParentId }), dateProblems('validFrom', validFrom));
  const unit = active(state);
  if (unit.parentId === toParentId) return [];
  notBefore(unit, validFrom);
  if (toParentId === unit.unitId || data.newParentAncestorIds.includes(unit.unitId)) throw unitErrors.cycle(toParentId);
  if (newParent === null || newParent.unitId !== toParentId) throw unitErrors.parentNotFound(toParentId);
  if (newParent.status !== 'active') throw unitErrors.parentInactive(toParentId, newParent.status);
  const level = levelOf(data.levels, unit.level, 'levels');
  const parentLevel = levelOf(data.levels, newParent.level, 'toParentId');
  if (!isLevelAllowedUnder(level, parentLevel)) throw unitErrors.levelNotBelowParent('toParentId', level.code, parentLevel.code);
  return [{ type: 'UnitMoved', data: { fromParentId: unit.parentId, toParentId, validFrom } }];
};

const merge = ({ intoUnitId, into, validFrom }: MergeUnit['data'], state: UnitState): UnitEvent[] => {
  requireValid(blankFields({ intoUnitId }), dateProblems('validFrom', validFrom));
  const unit = registered(state);
  if (unit.status === 'merged' && unit.intoUnitId === intoUnitId) return [];
  if (unit.status !== 'active') throw unitErrors.inactive(unit.status);
  if (intoUnitId === unit.unitId) throw unitErrors.mergeIntoSelf();
  notBefore(unit, validFrom);
  if (into === null || into.unitId !== intoUnitId) throw unitErrors.mergeTargetNotFound(intoUnitId);
  if (into.status !== 'active') throw unitErrors.mergeTargetInactive(intoUnitId, into.status);
  if (into.level !== unit.level) throw unitErrors.mergeLevelMismatch(unit.level, into.level);
  return [{ type: 'UnitMerged', data: { intoUnitId, validFrom } }];
};

const dissolve = ({ reason, validFrom }: DissolveUnit['data'], state: UnitState): UnitEvent[] => {
  requireValid(blankFields({ reason }), dateProblems('validFrom', validFrom));
  const unit = registered(state);
  if (unit.status === 'dissolved') return [];
  if (unit.status !== 'active') throw unitErrors.inactive(unit.status);
  notBefore(unit, validFrom);
  return [{ type: 'UnitDissolved', data: { validFrom, reason: cleanText(reason) } }];
};

const appoint = (data: AppointOfficer['data'], state: UnitState): UnitEvent[] => {
  const { userId, role, validFrom } = data;
  requireValid(
    blankFields({ userId }),
    OFFICER_ROLES.includes(role) ? [] : [{ field: 'role', message: `must be one of ${OFFICER_ROLES.join(', ')}` }],
    data.department !== undefined && isBlank(data.department) ? [{ field: 'department', message: 'must not be empty' }] : [],
    dateProblems('validFrom', validFrom),
  );
  const unit = active(state);
  const department = data.department === undefined ? undefined : cleanText(data.department);
  const current = unit.officers.get(userId);
  if (current !== undefined && current.role === role && current.department === department) return [];
  notBefore(unit, validFrom);
  return [{ type: 'OfficerAppointed', data: { userId, role, ...(department !== undefined && { department }), validFrom } }];
};

const relieve = ({ userId, validFrom }: RelieveOfficer['data'], state: UnitState): UnitEvent[] => {
  requireValid(blankFields({ userId }), dateProblems('validFrom', validFrom));
  // Allowed on merged and dissolved units too, so their officers can be cleared afterwards.
  const unit = registered(state);
  if (!unit.officers.has(userId)) throw unitErrors.officerNotAppointed(userId);
  notBefore(unit, validFrom);
  return [{ type: 'OfficerRelieved', data: { userId, validFrom } }];
};

const requireValid = (...problems: FieldError[][]): void => {
  const fields = problems.flat();
  if (fields.length > 0) throw unitErrors.validationFailed(fields);
};

const registered = (state: UnitState): RegisteredUnit => {
  if (state.status === 'none') throw unitErrors.notFound();
  return state;
};

const active = (state: UnitState): ActiveUnit => {
  const unit = registered(state);
  if (unit.status !== 'active') throw unitErrors.inactive(unit.status);
  return unit;
};

/** Changes are recorded in the order they take effect, so "the tree on date D" is a prefix of the stream. */
const notBefore = (unit: RegisteredUnit, validFrom: string): void => {
  if (validFrom < unit.lastChangeOn) throw unitErrors.validFromBeforeLastChange(validFrom, unit.lastChangeOn);
};

const levelOf = (levels: readonly LevelDefinition[], code: string, field: string): LevelDefinition => {
  const level = findLevel(levels, code);
  if (level === undefined) throw unitErrors.unknownLevel(field, code);
  return level;
};
