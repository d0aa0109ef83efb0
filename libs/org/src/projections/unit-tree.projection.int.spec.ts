import { InMemoryEventStore } from '@app/eventstore';
import { newEvent } from '@app/eventstore/testing';
import { Projector } from '@app/readstore';
import { describeOnReadStores, type ReadStoreFixture } from '../../../readstore/src/testing/read-stores';
import { unitStreamId } from '../unit.streams';
import { UNIT_OFFICERS_TABLE, UNIT_VERSIONS_TABLE, UNITS_TABLE, unitTreeProjection } from './unit-tree.projection';
import { childrenAt, subtreeCount, unitAt } from './unit-tree.queries';

const LAO_CAI: [string, string, string, string | null][] = [
  ['TW', 'Hội LHPN Việt Nam', 'central', null],
  ['LCI', 'Lào Cai', 'province', 'TW'],
  ['YBI', 'Yên Bái', 'province', 'TW'],
  ['LCI-BX', 'Bát Xát', 'district', 'LCI'],
  ['LCI-BX-01', 'Xã Bản Qua', 'commune', 'LCI-BX'],
  ['LCI-BX-02', 'Xã Quang Kim', 'commune', 'LCI-BX'],
  ['LCI-BX-02-01', 'Chi hội thôn 1', 'branch', 'LCI-BX-02'],
  ['LCI-SP', 'Sa Pa', 'district', 'LCI'],
  ['LCI-SP-01', 'Phường Cầu Mây', 'commune', 'LCI-SP'],
];

type Snapshot = Record<string, unknown[]>;

describeOnReadStores('Unit tree projection', (open) => {
  let fixture: ReadStoreFixture;
  let events: InMemoryEventStore;
  let projector: Projector;
  beforeEach(async () => {
    fixture = await open();
    events = new InMemoryEventStore();
    projector = new Projector(fixture.store, [unitTreeProjection]);
    await projector.prepare();
  });
  afterEach(async () => fixture.cleanup());

  const append = (unitId: string, type: string, data: object) =>
    events.appendToStream(unitStreamId(unitId), [newEvent(type, data)]);
  const register = async (validFrom = '2026-01-01', units = LAO_CAI) => {
    for (const [unitId, name, level, parentId] of units) {
      await append(unitId, 'UnitRegistered', { unitId, code: unitId, name, level, parentId, validFrom });
    }
  };

  const snapshot = async (): Promise<Snapshot> => {
    const db = fixture.store.db;
    return {
      units: await db.selectFrom(UNITS_TABLE).selectAll().orderBy('unit_id').execute(),
      versions: await db.selectFrom(UNIT_VERSIONS_TABLE).selectAll().orderBy('unit_id').orderBy('valid_from').execute(),
      officers: await db.selectFrom(UNIT_OFFICERS_TABLE).selectAll().orderBy('unit_id').orderBy('user_id').execute(),
    };
  };

  /** Projects every event, then the same events again through the projector: the second pass must change nothing. */
  const project = async (): Promise<Snapshot> => {
    const all = await events.readAll({ maxCount: 1_000_000 });
    await projector.project(unitTreeProjection, all);
    const first = await snapshot();
    expect(await projector.project(unitTreeProjection, all)).toBe(0);
    expect(await snapshot()).toEqual(first);
    return first;
  };

  const versionsOf = (s: Snapshot, unitId: string) =>
    (s.versions as Record<string, unknown>[])
      .filter((v) => v.unit_id === unitId)
      .map((v) => [v.valid_from, v.valid_to, v.path, v.status, v.name]);
  const pathOf = (s: Snapshot, unitId: string) => (s.units as Record<string, unknown>[]).find((u) => u.unit_id === unitId)?.path;

  it('registers the tree with materialised paths, depths and one open version per unit', async () => {
    await register();
    const s = await project();
    expect((s.units as Record<string, unknown>[]).map((u) => [u.unit_id, u.path, Number(u.depth), u.status])).toEqual([
      ['LCI', '/TW/LCI/', 1, 'active'],
      ['LCI-BX', '/TW/LCI/LCI-BX/', 2, 'active'],
      ['LCI-BX-01', '/TW/LCI/LCI-BX/LCI-BX-01/', 3, 'active'],
      ['LCI-BX-02', '/TW/LCI/LCI-BX/LCI-BX-02/', 3, 'active'],
      ['LCI-BX-02-01', '/TW/LCI/LCI-BX/LCI-BX-02/LCI-BX-02-01/', 4, 'active'],
      ['LCI-SP', '/TW/LCI/LCI-SP/', 2, 'active'],
      ['LCI-SP-01', '/TW/LCI/LCI-SP/LCI-SP-01/', 3, 'active'],
      ['TW', '/TW/', 0, 'active'],
      ['YBI', '/TW/YBI/', 1, 'active'],
    ]);
    expect(s.versions).toHaveLength(LAO_CAI.length);
    expect(versionsOf(s, 'LCI-BX-01')).toEqual([['2026-01-01', null, '/TW/LCI/LCI-BX/LCI-BX-01/', 'active', 'Xã Bản Qua']]);

    const db = fixture.store.db;
    const commune = await unitAt(db, 'LCI-BX-02', '2026-03-01');
    expect(commune?.ancestors.map((a) => [a.unitId, a.name, a.level])).toEqual([
      ['TW', 'Hội LHPN Việt Nam', 'central'],
      ['LCI', 'Lào Cai', 'province'],
      ['LCI-BX', 'Bát Xát', 'district'],
    ]);
    expect(commune?.children).toMatchObject({ total: 1, items: [{ unitId: 'LCI-BX-02-01', level: 'branch' }] });
    expect(await unitAt(db, 'LCI-BX-02', '2025-12-31')).toBeUndefined();
    expect(await subtreeCount(db, 'LCI')).toEqual({ total: 6, byLevel: { district: 2, commune: 3, branch: 1 } });
  });

  it('moves a district with its communes: paths of the whole subtree, and a new version for each from the move date', async () => {
    await register();
    await append('LCI-BX', 'UnitRenamed', { name: 'Huyện Bát Xát', validFrom: '2026-03-01' });
    await append('LCI-BX', 'UnitMoved', { fromParentId: 'LCI', toParentId: 'YBI', validFrom: '2026-07-01' });
    const s = await project();

    expect(pathOf(s, 'LCI-BX')).toBe('/TW/YBI/LCI-BX/');
    expect(pathOf(s, 'LCI-BX-02-01')).toBe('/TW/YBI/LCI-BX/LCI-BX-02/LCI-BX-02-01/');
    expect(pathOf(s, 'LCI-SP-01')).toBe('/TW/LCI/LCI-SP/LCI-SP-01/');
    expect((s.units as Record<string, unknown>[]).find((u) => u.unit_id === 'LCI-BX')).toMatchObject({
      parent_id: 'YBI',
      name: 'Huyện Bát Xát',
      valid_from: '2026-07-01',
    });
    expect(versionsOf(s, 'LCI-BX')).toEqual([
      ['2026-01-01', '2026-03-01', '/TW/LCI/LCI-BX/', 'active', 'Bát Xát'],
      ['2026-03-01', '2026-07-01', '/TW/LCI/LCI-BX/', 'active', 'Huyện Bát Xát'],
      ['2026-07-01', null, '/TW/YBI/LCI-BX/', 'active', 'Huyện Bát Xát'],
    ]);
    expect(versionsOf(s, 'LCI-BX-02-01')).toEqual([
      ['2026-01-01', '2026-07-01', '/TW/LCI/LCI-BX/LCI-BX-02/LCI-BX-02-01/', 'active', 'Chi hội thôn 1'],
      ['2026-07-01', null, '/TW/YBI/LCI-BX/LCI-BX-02/LCI-BX-02-01/', 'active', 'Chi hội thôn 1'],
    ]);
    expect(versionsOf(s, 'LCI-SP-01')).toHaveLength(1);

    const db = fixture.store.db;
    const before = await unitAt(db, 'LCI-BX-01', '2026-06-30');
    const after = await unitAt(db, 'LCI-BX-01', '2026-07-01');
    expect(before?.ancestors.map((a) => a.unitId)).toEqual(['TW', 'LCI', 'LCI-BX']);
    expect(before?.ancestors[2].name).toBe('Huyện Bát Xát');
    expect(after?.ancestors.map((a) => a.unitId)).toEqual(['TW', 'YBI', 'LCI-BX']);
    expect((await childrenAt(db, 'LCI', '2026-06-30')).items.map((u) => u.unitId)).toEqual(['LCI-BX', 'LCI-SP']);
    expect((await childrenAt(db, 'LCI', '2026-07-01')).items.map((u) => u.unitId)).toEqual(['LCI-SP']);
    expect((await childrenAt(db, 'YBI', '2026-07-01')).items.map((u) => u.unitId)).toEqual(['LCI-BX']);
    expect(await subtreeCount(db, 'LCI', '2026-02-01')).toMatchObject({ total: 6 });
    expect(await subtreeCount(db, 'LCI', '2026-08-01')).toMatchObject({ total: 2 });
    expect(await subtreeCount(db, 'YBI')).toMatchObject({ total: 4, byLevel: { district: 1, commune: 2, branch: 1 } });
  });

  it('moves a commune up a level (straight under the province) and shifts the depths of its subtree', async () => {
    await register();
    await append('LCI-BX-02', 'UnitMoved', { fromParentId: 'LCI-BX', toParentId: 'LCI', validFrom: '2026-07-01' });
    const s = await project();
    const rows = s.units as Record<string, unknown>[];
    expect(rows.filter((u) => String(u.unit_id).startsWith('LCI-BX-02')).map((u) => [u.path, Number(u.depth)])).toEqual([
      ['/TW/LCI/LCI-BX-02/', 2],
      ['/TW/LCI/LCI-BX-02/LCI-BX-02-01/', 3],
    ]);
    expect((await unitAt(fixture.store.db, 'LCI-BX-02-01', '2026-07-01'))?.depth).toBe(3);
    expect((await unitAt(fixture.store.db, 'LCI-BX-02-01', '2026-06-01'))?.depth).toBe(4);
  });

  it('merges two communes mid-year: both keep their history, the merged one is merged into the other', async () => {
    await register();
    await append('LCI-BX-02', 'UnitMerged', { intoUnitId: 'LCI-BX-01', validFrom: '2026-07-01' });
    await append('LCI-BX-01', 'UnitRenamed', { name: 'Xã Bản Qua mới', validFrom: '2026-07-01' });
    await append('LCI-SP-01', 'UnitDissolved', { reason: 'sáp nhập địa giới', validFrom: '2026-09-01' });
    const s = await project();

    expect((s.units as Record<string, unknown>[]).find((u) => u.unit_id === 'LCI-BX-02')).toMatchObject({
      status: 'merged',
      merged_into: 'LCI-BX-01',
      valid_from: '2026-07-01',
    });
    expect(versionsOf(s, 'LCI-BX-02')).toEqual([
      ['2026-01-01', '2026-07-01', '/TW/LCI/LCI-BX/LCI-BX-02/', 'active', 'Xã Quang Kim'],
      ['2026-07-01', null, '/TW/LCI/LCI-BX/LCI-BX-02/', 'merged', 'Xã Quang Kim'],
    ]);
    expect(versionsOf(s, 'LCI-BX-01')).toEqual([
      ['2026-01-01', '2026-07-01', '/TW/LCI/LCI-BX/LCI-BX-01/', 'active', 'Xã Bản Qua'],
      ['2026-07-01', null, '/TW/LCI/LCI-BX/LCI-BX-01/', 'active', 'Xã Bản Qua mới'],
    ]);
    expect(versionsOf(s, 'LCI-SP-01').map((v) => [v[0], v[3]])).toEqual([
      ['2026-01-01', 'active'],
      ['2026-09-01', 'dissolved'],
    ]);

    const db = fixture.store.db;
    const ids = async (date: string, includeInactive = false) =>
      (await childrenAt(db, 'LCI-BX', date, { includeInactive })).items.map((u) => [u.unitId, u.name, u.status]);
    expect(await ids('2026-06-30')).toEqual([
      ['LCI-BX-01', 'Xã Bản Qua', 'active'],
      ['LCI-BX-02', 'Xã Quang Kim', 'active'],
    ]);
    expect(await ids('2026-07-01')).toEqual([['LCI-BX-01', 'Xã Bản Qua mới', 'active']]);
    expect(await ids('2026-07-01', true)).toEqual([
      ['LCI-BX-01', 'Xã Bản Qua mới', 'active'],
      ['LCI-BX-02', 'Xã Quang Kim', 'merged'],
    ]);
    expect(await unitAt(db, 'LCI-BX-02', '2026-08-01')).toMatchObject({ status: 'merged', mergedInto: 'LCI-BX-01' });
    expect(await unitAt(db, 'LCI-BX-02', '2026-03-01')).toMatchObject({ status: 'active', mergedInto: null });
  });

  it('keeps same-day changes in one version and follows a later-dated ancestor move recorded first', async () => {
    await register();
    // Recorded first, dated later: Sa Pa goes to Yên Bái on 1 October.
    await append('LCI-SP', 'UnitMoved', { fromParentId: 'LCI', toParentId: 'YBI', validFrom: '2026-10-01' });
    // Then a commune is moved into Sa Pa from 1 July, and renamed on the day it was registered.
    await append('LCI-BX-02', 'UnitRenamed', { name: 'Xã Quang Kim (mới)', validFrom: '2026-01-01' });
    await append('LCI-BX-02', 'UnitMoved', { fromParentId: 'LCI-BX', toParentId: 'LCI-SP', validFrom: '2026-07-01' });
    const s = await project();

    expect(versionsOf(s, 'LCI-BX-02')).toEqual([
      ['2026-01-01', '2026-07-01', '/TW/LCI/LCI-BX/LCI-BX-02/', 'active', 'Xã Quang Kim (mới)'],
      ['2026-07-01', '2026-10-01', '/TW/LCI/LCI-SP/LCI-BX-02/', 'active', 'Xã Quang Kim (mới)'],
      ['2026-10-01', null, '/TW/YBI/LCI-SP/LCI-BX-02/', 'active', 'Xã Quang Kim (mới)'],
    ]);
    expect(versionsOf(s, 'LCI-BX-02-01').map((v) => [v[0], v[1], v[2]])).toEqual([
      ['2026-01-01', '2026-07-01', '/TW/LCI/LCI-BX/LCI-BX-02/LCI-BX-02-01/'],
      ['2026-07-01', '2026-10-01', '/TW/LCI/LCI-SP/LCI-BX-02/LCI-BX-02-01/'],
      ['2026-10-01', null, '/TW/YBI/LCI-SP/LCI-BX-02/LCI-BX-02-01/'],
    ]);
    expect((s.units as Record<string, unknown>[]).find((u) => u.unit_id === 'LCI-BX-02-01')).toMatchObject({
      path: '/TW/YBI/LCI-SP/LCI-BX-02/LCI-BX-02-01/',
      depth: expect.anything(),
      valid_from: '2026-10-01',
    });
    expect(await subtreeCount(fixture.store.db, 'LCI-SP', '2026-08-01')).toMatchObject({ total: 3 });
  });

  it('registers a unit under a parent whose later-dated move was recorded first', async () => {
    await register();
    await append('LCI-SP', 'UnitMoved', { fromParentId: 'LCI', toParentId: 'YBI', validFrom: '2026-10-01' });
    await register('2026-05-01', [['LCI-SP-02', 'Xã Tả Van', 'commune', 'LCI-SP']]);
    const s = await project();
    expect(versionsOf(s, 'LCI-SP-02').map((v) => [v[0], v[1], v[2]])).toEqual([
      ['2026-05-01', '2026-10-01', '/TW/LCI/LCI-SP/LCI-SP-02/'],
      ['2026-10-01', null, '/TW/YBI/LCI-SP/LCI-SP-02/'],
    ]);
    expect(pathOf(s, 'LCI-SP-02')).toBe('/TW/YBI/LCI-SP/LCI-SP-02/');
  });

  it('keeps the officers of each unit', async () => {
    await register();
    await append('LCI-BX', 'OfficerAppointed', { userId: 'u1', role: 'leader', validFrom: '2026-01-02' });
    await append('LCI-BX', 'OfficerAppointed', { userId: 'u2', role: 'officer', department: 'Tổ chức', validFrom: '2026-01-02' });
    await append('LCI-BX', 'OfficerAppointed', { userId: 'u1', role: 'admin', validFrom: '2026-02-01' });
    await append('LCI-BX', 'OfficerRelieved', { userId: 'u2', validFrom: '2026-03-01' });
    const s = await project();
    expect(s.officers).toEqual([{ unit_id: 'LCI-BX', user_id: 'u1', role: 'admin', department: null, since: '2026-02-01' }]);
  });

  it('rebuilds into identical rows', async () => {
    await register();
    await append('LCI-BX', 'UnitMoved', { fromParentId: 'LCI', toParentId: 'YBI', validFrom: '2026-07-01' });
    await append('LCI-BX-02', 'UnitMerged', { intoUnitId: 'LCI-BX-01', validFrom: '2026-08-01' });
    await append('LCI-SP', 'OfficerAppointed', { userId: 'u1', role: 'leader', validFrom: '2026-01-02' });
    const live = await project();
    await projector.rebuild(unitTreeProjection, events, undefined, 4);
    expect(await snapshot()).toEqual(live);
    expect((await unitAt(fixture.store.db, 'LCI-BX-02', '2026-07-15'))?.ancestors.map((a) => a.unitId)).toEqual([
      'TW',
      'YBI',
      'LCI-BX',
    ]);
  });
});
