import { type CommandMetadata, type DomainError, type DomainErrorKind, ValidationError } from '@app/kernel';
import { DEFAULT_LEVELS } from './levels';
import { deciderSpec } from './testing/given-when-then';
import type { UnitCommand, UnitSummary } from './unit.commands';
import { unitDecider } from './unit.decider';
import { UNIT_ERROR, type UnitErrorCode } from './unit.errors';
import type { OfficerAppointed, UnitEvent, UnitMerged, UnitRegistered } from './unit.events';

const refusals = new Map<string, DomainErrorKind>();
const given = deciderSpec(unitDecider, (error: DomainError) => refusals.set(error.code, error.kind));

const metadata: CommandMetadata = { commandId: 'cmd-1', actor: { userId: 'u-admin' }, now: new Date('2026-01-05T03:00:00Z') };
const levels = DEFAULT_LEVELS;
type Data<T extends UnitCommand['type']> = Extract<UnitCommand, { type: T }>['data'];
const command = <T extends UnitCommand['type']>(type: T, data: Data<T>) => ({ type, data, metadata }) as UnitCommand;

const laoCai: UnitSummary = { unitId: 'lci', level: 'province', status: 'active' };
const batXat: UnitSummary = { unitId: 'lci-bx', level: 'district', status: 'active' };
const quangKim: UnitSummary = { unitId: 'lci-bx-02', level: 'commune', status: 'active' };

const registered: UnitRegistered = {
  type: 'UnitRegistered',
  data: {
    unitId: 'lci-bx-01',
    code: 'LCI-BX-01',
    name: 'Xã Bản Qua',
    level: 'commune',
    parentId: 'lci-bx',
    validFrom: '2020-01-01',
  },
};
const merged: UnitMerged = { type: 'UnitMerged', data: { intoUnitId: 'lci-bx-02', validFrom: '2025-07-01' } };
const dissolved: UnitEvent = { type: 'UnitDissolved', data: { validFrom: '2025-07-01', reason: 'Sắp xếp đơn vị hành chính' } };
const appointed: OfficerAppointed = {
  type: 'OfficerAppointed',
  data: { userId: 'u-lan', role: 'leader', department: 'Văn phòng', validFrom: '2021-03-08' },
};

const register = (data: Partial<Data<'RegisterUnit'>> = {}) =>
  command('RegisterUnit', {
    unitId: 'lci-bx-01',
    code: ' LCI-BX-01 ',
    name: ' Xã Bản Qua ',
    level: 'commune',
    parentId: 'lci-bx',
    parent: batXat,
    codeTakenBy: null,
    levels,
    validFrom: '2020-01-01',
    ...data,
  });
const rename = (name: string, validFrom = '2024-01-01') => command('RenameUnit', { unitId: 'lci-bx-01', name, validFrom });
const move = (data: Partial<Data<'MoveUnit'>> = {}) =>
  command('MoveUnit', {
    unitId: 'lci-bx-01',
    toParentId: 'lci',
    newParent: laoCai,
    newParentAncestorIds: ['tw'],
    levels,
    validFrom: '2025-07-01',
    ...data,
  });
const merge = (data: Partial<Data<'MergeUnit'>> = {}) =>
  command('MergeUnit', { unitId: 'lci-bx-01', intoUnitId: 'lci-bx-02', into: quangKim, validFrom: '2025-07-01', ...data });
const dissolve = (reason = 'Sắp xếp đơn vị hành chính', validFrom = '2025-07-01') =>
  command('DissolveUnit', { unitId: 'lci-bx-01', reason, validFrom });
const appoint = (data: Partial<Data<'AppointOfficer'>> = {}) =>
  command('AppointOfficer', {
    unitId: 'lci-bx-01',
    userId: 'u-lan',
    role: 'leader',
    department: 'Văn phòng',
    validFrom: '2021-03-08',
    ...data,
  });
const relieve = (userId = 'u-lan', validFrom = '2023-01-01') =>
  command('RelieveOfficer', { unitId: 'lci-bx-01', userId, validFrom });

describe('unit decider', () => {
  describe('RegisterUnit', () => {
    it('registers a unit under an active parent, trimming code and name', () => {
      given().when(register()).then([registered]);
    });

    it('registers the central unit without a parent', () => {
      given()
        .when(register({ unitId: 'tw', code: 'TW', name: 'Hội LHPN Việt Nam', level: 'central', parentId: null, parent: null }))
        .then([
          {
            type: 'UnitRegistered',
            data: {
              unitId: 'tw',
              code: 'TW',
              name: 'Hội LHPN Việt Nam',
              level: 'central',
              parentId: null,
              validFrom: '2020-01-01',
            },
          },
        ]);
    });

    it('lets a level be skipped: a commune directly under a province', () => {
      given()
        .when(register({ parentId: 'lci', parent: laoCai, validFrom: '2025-07-01' }))
        .then([{ type: 'UnitRegistered', data: { ...registered.data, parentId: 'lci', validFrom: '2025-07-01' } }]);
    });

    it('names every empty field and a bad date', () => {
      const error = given()
        .when(register({ code: ' ', name: '', validFrom: '2025-02-29' }))
        .then(UNIT_ERROR.VALIDATION_FAILED);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields.map((f) => f.field)).toEqual(['code', 'name', 'validFrom']);
    });

    it('refuses an id that is already registered', () => {
      given(registered).when(register()).then(UNIT_ERROR.ALREADY_REGISTERED);
    });

    it('refuses a level that is not in the list', () => {
      given()
        .when(register({ level: 'ward' }))
        .then(UNIT_ERROR.UNKNOWN_LEVEL);
    });

    it('refuses a code another unit holds', () => {
      given()
        .when(register({ codeTakenBy: 'other' }))
        .then(UNIT_ERROR.CODE_TAKEN);
    });

    it('refuses a parent the look-up did not find', () => {
      given()
        .when(register({ parent: null }))
        .then(UNIT_ERROR.PARENT_NOT_FOUND);
      given()
        .when(register({ parent: { ...batXat, unitId: 'someone-else' } }))
        .then(UNIT_ERROR.PARENT_NOT_FOUND);
    });

    it('refuses a merged or dissolved parent', () => {
      given()
        .when(register({ parent: { ...batXat, status: 'dissolved' } }))
        .then(UNIT_ERROR.PARENT_INACTIVE);
    });

    it('refuses a parent whose level is not above the unit', () => {
      given()
        .when(register({ parentId: 'lci-bx-02', parent: quangKim }))
        .then(UNIT_ERROR.LEVEL_NOT_BELOW_PARENT);
    });

    it('refuses a root below the top level', () => {
      given()
        .when(register({ parentId: null, parent: null }))
        .then(UNIT_ERROR.ROOT_NOT_TOP_LEVEL);
    });
  });

  describe('RenameUnit', () => {
    it('renames the unit from a date', () => {
      given(registered)
        .when(rename(' Xã Bản Qua mới '))
        .then([{ type: 'UnitRenamed', data: { name: 'Xã Bản Qua mới', validFrom: '2024-01-01' } }]);
    });

    it('does nothing when the name is the same', () => {
      given(registered).when(rename('Xã Bản Qua')).then([]);
    });

    it('accepts a change dated the same day as the last one', () => {
      given(registered)
        .when(rename('Xã Bản Qua mới', '2020-01-01'))
        .then([{ type: 'UnitRenamed', data: { name: 'Xã Bản Qua mới', validFrom: '2020-01-01' } }]);
    });

    it('refuses an empty name, naming the field', () => {
      const error = given(registered).when(rename('  ')).then(UNIT_ERROR.VALIDATION_FAILED);
      expect((error as ValidationError).fields).toEqual([{ field: 'name', message: 'must not be empty' }]);
    });

    it('refuses an unknown unit', () => {
      given().when(rename('Xã Bản Qua')).then(UNIT_ERROR.NOT_FOUND);
    });

    it('refuses a merged or dissolved unit', () => {
      given(registered, merged).when(rename('Xã mới', '2026-01-01')).then(UNIT_ERROR.INACTIVE);
      given(registered, dissolved).when(rename('Xã mới', '2026-01-01')).then(UNIT_ERROR.INACTIVE);
    });

    it('refuses a change dated before the last change', () => {
      given(registered).when(rename('Xã mới', '2019-12-31')).then(UNIT_ERROR.VALID_FROM_BEFORE_LAST_CHANGE);
    });
  });

  describe('MoveUnit', () => {
    it('moves the unit under a new parent, recording where it came from', () => {
      given(registered)
        .when(move())
        .then([{ type: 'UnitMoved', data: { fromParentId: 'lci-bx', toParentId: 'lci', validFrom: '2025-07-01' } }]);
    });

    it('does nothing when the parent is the same', () => {
      given(registered)
        .when(move({ toParentId: 'lci-bx', newParent: batXat }))
        .then([]);
    });

    it('refuses a move under the unit itself or under one of its descendants', () => {
      given(registered)
        .when(move({ toParentId: 'lci-bx-01', newParent: { ...quangKim, unitId: 'lci-bx-01' } }))
        .then(UNIT_ERROR.CYCLE);
      given(registered)
        .when(
          move({
            toParentId: 'thon-1',
            newParent: { unitId: 'thon-1', level: 'branch', status: 'active' },
            newParentAncestorIds: ['tw', 'lci', 'lci-bx', 'lci-bx-01'],
          }),
        )
        .then(UNIT_ERROR.CYCLE);
    });

    it('refuses a new parent the look-up did not find', () => {
      given(registered)
        .when(move({ newParent: null }))
        .then(UNIT_ERROR.PARENT_NOT_FOUND);
    });

    it('refuses an inactive new parent', () => {
      given(registered)
        .when(move({ newParent: { ...laoCai, status: 'merged' } }))
        .then(UNIT_ERROR.PARENT_INACTIVE);
    });

    it('refuses a new parent whose level is not above the unit', () => {
      given(registered)
        .when(move({ toParentId: 'lci-bx-02', newParent: quangKim }))
        .then(UNIT_ERROR.LEVEL_NOT_BELOW_PARENT);
    });

    it('refuses a new parent at a level that is not in the list', () => {
      given(registered)
        .when(move({ levels: levels.filter((l) => l.code !== 'province') }))
        .then(UNIT_ERROR.UNKNOWN_LEVEL);
    });

    it('refuses an unknown, inactive or back-dated move', () => {
      given().when(move()).then(UNIT_ERROR.NOT_FOUND);
      given(registered, dissolved).when(move()).then(UNIT_ERROR.INACTIVE);
      given(registered)
        .when(move({ validFrom: '2019-01-01' }))
        .then(UNIT_ERROR.VALID_FROM_BEFORE_LAST_CHANGE);
    });

    it('refuses an empty parent id', () => {
      given(registered)
        .when(move({ toParentId: '' }))
        .then(UNIT_ERROR.VALIDATION_FAILED);
    });
  });

  describe('MergeUnit', () => {
    it('merges the unit into another of its level', () => {
      given(registered).when(merge()).then([merged]);
    });

    it('does nothing when already merged into the same unit', () => {
      given(registered, merged).when(merge()).then([]);
    });

    it('refuses a merge into itself', () => {
      given(registered)
        .when(merge({ intoUnitId: 'lci-bx-01', into: { ...quangKim, unitId: 'lci-bx-01' } }))
        .then(UNIT_ERROR.MERGE_INTO_SELF);
    });

    it('refuses a target the look-up did not find', () => {
      given(registered)
        .when(merge({ into: null }))
        .then(UNIT_ERROR.MERGE_TARGET_NOT_FOUND);
    });

    it('refuses an inactive target', () => {
      given(registered)
        .when(merge({ into: { ...quangKim, status: 'dissolved' } }))
        .then(UNIT_ERROR.MERGE_TARGET_INACTIVE);
    });

    it('refuses a target at another level', () => {
      given(registered)
        .when(merge({ intoUnitId: 'lci-bx', into: batXat }))
        .then(UNIT_ERROR.MERGE_LEVEL_MISMATCH);
    });

    it('refuses an unknown unit, a dissolved one, one merged elsewhere, and a back-dated merge', () => {
      given().when(merge()).then(UNIT_ERROR.NOT_FOUND);
      given(registered, dissolved).when(merge()).then(UNIT_ERROR.INACTIVE);
      given(registered, merged)
        .when(merge({ intoUnitId: 'lci-bx-03', into: { ...quangKim, unitId: 'lci-bx-03' } }))
        .then(UNIT_ERROR.INACTIVE);
      given(registered)
        .when(merge({ validFrom: '2019-06-30' }))
        .then(UNIT_ERROR.VALID_FROM_BEFORE_LAST_CHANGE);
    });

    it('keeps everything the unit was: a merged unit still has its code, name, parent and officers', () => {
      const state = [registered, appointed, merged].reduce(unitDecider.evolve, unitDecider.initialState());
      expect(state).toMatchObject({
        status: 'merged',
        intoUnitId: 'lci-bx-02',
        code: 'LCI-BX-01',
        name: 'Xã Bản Qua',
        parentId: 'lci-bx',
      });
      expect(state.status !== 'none' && [...state.officers.keys()]).toEqual(['u-lan']);
    });
  });

  describe('DissolveUnit', () => {
    it('dissolves the unit with a reason', () => {
      given(registered).when(dissolve(' Sắp xếp đơn vị hành chính ')).then([dissolved]);
    });

    it('does nothing when already dissolved', () => {
      given(registered, dissolved).when(dissolve()).then([]);
    });

    it('refuses an empty reason, an unknown unit, a merged unit and a back-dated dissolution', () => {
      given(registered).when(dissolve('')).then(UNIT_ERROR.VALIDATION_FAILED);
      given().when(dissolve()).then(UNIT_ERROR.NOT_FOUND);
      given(registered, merged).when(dissolve()).then(UNIT_ERROR.INACTIVE);
      given(registered).when(dissolve('Giải thể', '2019-01-01')).then(UNIT_ERROR.VALID_FROM_BEFORE_LAST_CHANGE);
    });
  });

  describe('AppointOfficer', () => {
    it('appoints an officer with a role and a department', () => {
      given(registered).when(appoint()).then([appointed]);
    });

    it('appoints without a department', () => {
      given(registered)
        .when(appoint({ userId: 'u-mai', role: 'viewer', department: undefined }))
        .then([{ type: 'OfficerAppointed', data: { userId: 'u-mai', role: 'viewer', validFrom: '2021-03-08' } }]);
    });

    it('does nothing when the officer already holds that role', () => {
      given(registered, appointed)
        .when(appoint({ validFrom: '2022-01-01' }))
        .then([]);
    });

    it('records a change of role', () => {
      given(registered, appointed)
        .when(appoint({ role: 'officer', validFrom: '2022-01-01' }))
        .then([
          {
            type: 'OfficerAppointed',
            data: { userId: 'u-lan', role: 'officer', department: 'Văn phòng', validFrom: '2022-01-01' },
          },
        ]);
    });

    it('names the fields at fault', () => {
      const error = given(registered)
        .when(appoint({ userId: '', role: 'chair' as never, department: ' ' }))
        .then(UNIT_ERROR.VALIDATION_FAILED);
      expect((error as ValidationError).fields.map((f) => f.field)).toEqual(['userId', 'role', 'department']);
    });

    it('refuses an unknown, inactive or back-dated appointment', () => {
      given().when(appoint()).then(UNIT_ERROR.NOT_FOUND);
      given(registered, merged)
        .when(appoint({ validFrom: '2026-01-01' }))
        .then(UNIT_ERROR.INACTIVE);
      given(registered)
        .when(appoint({ validFrom: '2019-01-01' }))
        .then(UNIT_ERROR.VALID_FROM_BEFORE_LAST_CHANGE);
    });
  });

  describe('RelieveOfficer', () => {
    it('relieves an appointed officer', () => {
      given(registered, appointed)
        .when(relieve())
        .then([{ type: 'OfficerRelieved', data: { userId: 'u-lan', validFrom: '2023-01-01' } }]);
    });

    it('relieves an officer of a merged unit too', () => {
      given(registered, appointed, merged)
        .when(relieve('u-lan', '2025-07-01'))
        .then([{ type: 'OfficerRelieved', data: { userId: 'u-lan', validFrom: '2025-07-01' } }]);
    });

    it('refuses a user who is not (or no longer) an officer', () => {
      given(registered).when(relieve()).then(UNIT_ERROR.OFFICER_NOT_APPOINTED);
      given(registered, appointed, { type: 'OfficerRelieved', data: { userId: 'u-lan', validFrom: '2023-01-01' } })
        .when(relieve('u-lan', '2024-01-01'))
        .then(UNIT_ERROR.OFFICER_NOT_APPOINTED);
    });

    it('refuses an unknown unit, an empty user id and a back-dated relief', () => {
      given().when(relieve()).then(UNIT_ERROR.NOT_FOUND);
      given(registered, appointed).when(relieve('')).then(UNIT_ERROR.VALIDATION_FAILED);
      given(registered, appointed).when(relieve('u-lan', '2021-03-07')).then(UNIT_ERROR.VALID_FROM_BEFORE_LAST_CHANGE);
    });
  });

  it('folds a whole history into the current state', () => {
    const history: UnitEvent[] = [
      registered,
      appointed,
      { type: 'UnitRenamed', data: { name: 'Xã Bản Qua mới', validFrom: '2024-01-01' } },
      { type: 'UnitMoved', data: { fromParentId: 'lci-bx', toParentId: 'lci', validFrom: '2025-07-01' } },
      { type: 'OfficerAppointed', data: { userId: 'u-mai', role: 'officer', validFrom: '2025-07-01' } },
      { type: 'OfficerRelieved', data: { userId: 'u-lan', validFrom: '2025-07-02' } },
    ];
    const state = history.reduce(unitDecider.evolve, unitDecider.initialState());
    expect(state).toEqual({
      status: 'active',
      unitId: 'lci-bx-01',
      code: 'LCI-BX-01',
      name: 'Xã Bản Qua mới',
      level: 'commune',
      parentId: 'lci',
      officers: new Map([['u-mai', { role: 'officer', since: '2025-07-01' }]]),
      lastChangeOn: '2025-07-02',
    });
  });

  afterAll(() => {
    // Every refusal code is exercised above, and each has the kind (hence HTTP status) documented in docs/org.md.
    const kinds: Record<UnitErrorCode, DomainErrorKind> = {
      'UNIT.VALIDATION_FAILED': 'validation',
      'UNIT.UNKNOWN_LEVEL': 'validation',
      'UNIT.LEVEL_NOT_BELOW_PARENT': 'validation',
      'UNIT.ROOT_NOT_TOP_LEVEL': 'validation',
      'UNIT.MERGE_INTO_SELF': 'validation',
      'UNIT.VALID_FROM_BEFORE_LAST_CHANGE': 'validation',
      'UNIT.ALREADY_REGISTERED': 'conflict',
      'UNIT.CODE_TAKEN': 'conflict',
      'UNIT.NOT_FOUND': 'not_found',
      'UNIT.PARENT_NOT_FOUND': 'not_found',
      'UNIT.MERGE_TARGET_NOT_FOUND': 'not_found',
      'UNIT.OFFICER_NOT_APPOINTED': 'not_found',
      'UNIT.PARENT_INACTIVE': 'illegal_state',
      'UNIT.CYCLE': 'illegal_state',
      'UNIT.INACTIVE': 'illegal_state',
      'UNIT.MERGE_TARGET_INACTIVE': 'illegal_state',
      'UNIT.MERGE_LEVEL_MISMATCH': 'illegal_state',
    };
    expect(Object.fromEntries(refusals)).toEqual(kinds);
  });
});
