import { readLaoCaiSampleCsv } from '@app/org';
import { TestApp } from '../support/test-app';

describe('units over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => (t = await TestApp.start()));
  afterEach(async () => t.stop());

  it('imports the Lào Cai hierarchy, renames a unit with If-Match, and records the actor', async () => {
    const admin = t.token('admin.tw', 'TW', ['admin']);
    const imported = await t.call({
      method: 'POST',
      url: '/units/import?validFrom=2026-01-01',
      token: admin,
      body: readLaoCaiSampleCsv(),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(201);
    expect(imported.json).toMatchObject({ streams: 14, events: 14, replayed: false });

    const renamed = await t.call({
      method: 'POST',
      url: '/units/LCI-BX/rename',
      token: admin,
      body: { name: 'Hội LHPN huyện Bát Xát (mới)', validFrom: '2026-02-01' },
      headers: { 'if-match': '"0"' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.etag).toBe('"1"');
    const stale = await t.call({
      method: 'POST',
      url: '/units/LCI-BX/rename',
      token: admin,
      body: { name: 'Khác', validFrom: '2026-02-02' },
      headers: { 'if-match': '"0"' },
    });
    expect(stale.status).toBe(412);

    const [, event] = await t.store.readStream('unit-LCI-BX');
    expect(event.metadata.actor).toEqual({ userId: 'admin.tw', unitId: 'TW' });
    expect(event.metadata.occurredAt).toBe('2026-01-05T02:00:00.000Z');
  });

  it('answers a repeated import (same Idempotency-Key) with its first result and writes nothing', async () => {
    const admin = t.token('admin.tw', 'TW', ['admin']);
    const call = {
      method: 'POST' as const,
      url: '/units/import?validFrom=2026-01-01',
      token: admin,
      body: readLaoCaiSampleCsv(),
      headers: { 'content-type': 'text/csv', 'idempotency-key': 'import-lao-cai-2026' },
    };
    const first = await t.call(call);
    expect(first.status).toBe(201);
    const head = await t.store.headPosition();
    const again = await t.call(call);
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ replayed: true, streams: 14, position: first.json.position - 13 });
    expect(await t.store.headPosition()).toBe(head);
    const otherKey = await t.call({ ...call, headers: { ...call.headers, 'idempotency-key': 'import-lao-cai-again' } });
    expect(otherKey.status).toBe(400);
    expect(otherKey.json.error.code).toBe('UNIT_IMPORT.INVALID');
  });

  it('refuses a request without a token, and one from outside the subtree, writing nothing', async () => {
    expect((await t.call({ method: 'POST', url: '/units', body: {} })).json.error.code).toBe('AUTH.MISSING_TOKEN');
    const admin = t.token('admin.tw', 'TW', ['admin']);
    await t.call({
      method: 'POST',
      url: '/units/import?validFrom=2026-01-01',
      token: admin,
      body: readLaoCaiSampleCsv(),
      headers: { 'content-type': 'text/csv' },
    });
    const head = await t.store.headPosition();
    const districtAdmin = t.token('admin.bx', 'LCI-BX', ['admin']);
    const outside = await t.call({
      method: 'POST',
      url: '/units/LCI-SP/rename',
      token: districtAdmin,
      body: { name: 'X', validFrom: '2026-02-01' },
    });
    expect(outside.status).toBe(403);
    expect(outside.json.error.code).toBe('AUTH.OUTSIDE_SUBTREE');
    const bad = await t.call({
      method: 'POST',
      url: '/units',
      token: admin,
      body: { code: 'bad_code', name: '', level: 7, parentId: 'TW', validFrom: '2026-13-01', extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.json.error.fields.map((f: { field: string }) => f.field))].sort()).toEqual([
      'code',
      'extra',
      'level',
      'name',
      'validFrom',
    ]);
    expect(await t.store.headPosition()).toBe(head);
  });
});
