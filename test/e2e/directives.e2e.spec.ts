import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLaoCaiSampleCsv } from '@app/org';
import { type Call, TestApp } from '../support/test-app';

const LAO_CAI_YAML = readFileSync(join(__dirname, '../../libs/directives/examples/lao-cai-11-CTr-BTV-2022.yaml'), 'utf8');
const fieldsOf = (json: Record<string, { fields?: { field: string }[] }>) =>
  [...new Set((json.error.fields ?? []).map((f) => f.field))].sort();

describe('directives over HTTP', () => {
  let t: TestApp;
  let provinceOfficer: string;
  let provinceLeader: string;
  let communeOfficer: string;

  beforeEach(async () => {
    t = await TestApp.start();
    const imported = await t.call({
      method: 'POST',
      url: '/units/import?validFrom=2026-01-01',
      token: t.token('admin.tw', 'TW', ['admin']),
      body: readLaoCaiSampleCsv(),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(201);
    provinceOfficer = t.token('officer.lci', 'LCI', ['officer']);
    provinceLeader = t.token('chair.lci', 'LCI', ['leader']);
    communeOfficer = t.token('officer.bx01', 'LCI-BX-01', ['officer']);
  });
  afterEach(async () => t.stop());

  const importLaoCai = () =>
    t.call({
      method: 'POST',
      url: '/directives/import',
      token: provinceOfficer,
      body: { directiveId: 'lc-11', format: 'yaml', content: LAO_CAI_YAML },
    });

  it('imports, edits, issues to every commune, and follows one assignment to completion', async () => {
    const drafted = await importLaoCai();
    expect(drafted.status).toBe(201);
    // DirectiveDrafted, 12 TargetAdded, 14 TaskAdded, ReportingScheduleSet.
    expect(drafted.json).toMatchObject({ streamId: 'directive-lc-11', directiveId: 'lc-11', revision: 27, replayed: false });
    expect(drafted.headers.etag).toBe('"27"');

    const target = await t.call({
      method: 'POST',
      url: '/directives/lc-11/targets',
      token: provinceOfficer,
      headers: { 'if-match': '"27"' },
      body: {
        targetId: 'lc-9',
        code: '(9)',
        title: 'Mỗi cơ sở Hội có ít nhất 01 câu lạc bộ',
        shape: 'count_with_floor',
        measuredAtLevel: 'commune',
        value: 1,
      },
    });
    expect(target.status).toBe(200);
    expect(target.headers.etag).toBe('"28"');
    const task = await t.call({
      method: 'POST',
      url: '/directives/lc-11/tasks',
      token: provinceOfficer,
      body: { taskId: 'lc-xa-1', title: 'Triển khai đến chi hội', level: 'commune', due: '2026-03-31' },
    });
    expect(task.status).toBe(200);
    const schedule = await t.call({
      method: 'POST',
      url: '/directives/lc-11/schedule',
      token: provinceOfficer,
      body: { cadence: 'half_yearly', dueOffsetDays: 10, escalationSteps: [{ afterWorkingDays: 3, to: 'parent' }] },
    });
    expect(schedule.status).toBe(200);
    expect(schedule.headers.etag).toBe('"30"');

    const issued = await t.call({
      method: 'POST',
      url: '/directives/lc-11/issue',
      token: provinceLeader,
      headers: { 'idempotency-key': 'issue-lc-11-0001' },
      body: { signedBy: 'Hà Thị Khánh Nguyệt', scope: { level: 'commune', underUnitId: 'LCI' } },
    });
    expect(issued.status).toBe(200);
    expect(issued.json).toMatchObject({ revision: 31, assignees: 9, events: [{ type: 'DirectiveIssued' }] });
    expect(issued.headers.etag).toBe('"31"');
    const again = await t.call({
      method: 'POST',
      url: '/directives/lc-11/issue',
      token: provinceLeader,
      headers: { 'idempotency-key': 'issue-lc-11-0001' },
      body: { signedBy: 'Hà Thị Khánh Nguyệt', scope: { level: 'commune', underUnitId: 'LCI' } },
    });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ revision: 31, replayed: true });

    const acknowledged = await t.call({
      method: 'POST',
      url: '/directives/lc-11/assignments/LCI-BX-01/acknowledge',
      token: communeOfficer,
    });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.json.streamId).toBe('assignment-lc-11_LCI-BX-01');
    expect(acknowledged.headers.etag).toBe('"1"');

    // The commune's own plan, with lc-11 as its basis and its targets inherited.
    const plan = await t.call({
      method: 'POST',
      url: '/directives',
      token: communeOfficer,
      body: {
        directiveId: 'bx01-kh-05',
        number: '05/KH-HPN',
        kind: 'plan',
        title: 'Kế hoạch thực hiện Chương trình 11/CTr-BTV',
        issuerUnitId: 'LCI-BX-01',
        issuingBody: 'Ban Chấp hành',
        documentDate: '2026-01-05',
        basisDirectiveId: 'lc-11',
        period: { from: '2026-01-05', to: '2030-12-31' },
        inheritBasisTargets: true,
        tasks: [{ taskId: 'bx01-1', title: 'Phổ biến đến các chi hội', coordinating: ['Chi hội 1'] }],
      },
    });
    expect(plan.status).toBe(201);
    expect(plan.json.events.filter((e: { type: string }) => e.type === 'TargetAdded')).toHaveLength(13);
    const linked = await t.call({
      method: 'POST',
      url: '/directives/lc-11/assignments/LCI-BX-01/implementing',
      token: communeOfficer,
      body: { childDirectiveId: 'bx01-kh-05' },
    });
    expect(linked.status).toBe(200);
    const completed = await t.call({
      method: 'POST',
      url: '/directives/lc-11/assignments/LCI-BX-01/complete',
      token: communeOfficer,
    });
    expect(completed.status).toBe(200);
    expect(completed.headers.etag).toBe('"3"');

    const amended = await t.call({
      method: 'POST',
      url: '/directives/lc-11/amend',
      token: provinceLeader,
      body: { changes: { tasksAdded: [{ taskId: 'lc-xa-2', title: 'Sơ kết 6 tháng' }] }, reason: 'Bổ sung nhiệm vụ' },
    });
    expect(amended.status).toBe(200);
    t.clock.advance(30 * 60 * 1000);
    const closed = await t.call({ method: 'POST', url: '/directives/lc-11/close', token: provinceLeader, body: {} });
    expect(closed.status).toBe(200);
    expect(closed.headers.etag).toBe('"33"');

    // The assignee reads the directive it implements; each event names its actor and time.
    const history = await t.call({ method: 'GET', url: '/streams/directive-lc-11?fromRevision=27', token: communeOfficer });
    expect(history.status).toBe(200);
    expect(history.headers.etag).toBe('"33"');
    expect(
      history.json.events.map((e: { revision: number; type: string; metadata: { actor: unknown; occurredAt: string } }) => [
        e.revision,
        e.type,
        e.metadata.actor,
        e.metadata.occurredAt,
      ]),
    ).toEqual([
      [27, 'ReportingScheduleSet', { userId: 'officer.lci', unitId: 'LCI' }, '2026-01-05T02:00:00.000Z'],
      [28, 'TargetAdded', { userId: 'officer.lci', unitId: 'LCI' }, '2026-01-05T02:00:00.000Z'],
      [29, 'TaskAdded', { userId: 'officer.lci', unitId: 'LCI' }, '2026-01-05T02:00:00.000Z'],
      [30, 'ReportingScheduleSet', { userId: 'officer.lci', unitId: 'LCI' }, '2026-01-05T02:00:00.000Z'],
      [31, 'DirectiveIssued', { userId: 'chair.lci', unitId: 'LCI' }, '2026-01-05T02:00:00.000Z'],
      [32, 'DirectiveAmended', { userId: 'chair.lci', unitId: 'LCI' }, '2026-01-05T02:00:00.000Z'],
      [33, 'DirectiveClosed', { userId: 'chair.lci', unitId: 'LCI' }, '2026-01-05T02:30:00.000Z'],
    ]);
    const assignment = await t.call({ method: 'GET', url: '/streams/assignment-lc-11_LCI-BX-01', token: communeOfficer });
    expect(
      assignment.json.events.map((e: { type: string; metadata: { actor: { userId: string } } }) => [
        e.type,
        e.metadata.actor.userId,
      ]),
    ).toEqual([
      ['DirectiveAssigned', 'chair.lci'],
      ['AssignmentAcknowledged', 'officer.bx01'],
      ['ImplementingDirectiveIssued', 'officer.bx01'],
      ['AssignmentCompleted', 'officer.bx01'],
    ]);
  });

  it('refuses the wrong unit, unknown directives and bad bodies, writing nothing', async () => {
    expect((await importLaoCai()).status).toBe(201);
    const head = await t.store.headPosition();
    const districtOfficer = t.token('officer.bx', 'LCI-BX', ['officer']);
    const refused = async (call: Call, status: number, code: string) => {
      const response = await t.call(call);
      expect({ url: call.url, status: response.status, code: response.json?.error?.code }).toEqual({
        url: call.url,
        status,
        code,
      });
      expect(await t.store.headPosition()).toBe(head);
      return response;
    };
    const target = { targetId: 'lc-9', code: '(9)', title: 'T', shape: 'rate', measuredAtLevel: 'commune', value: 0.5 };

    // The wrong unit, or the wrong role.
    const header = { number: '1/KH', kind: 'plan', title: 'X', issuingBody: 'BTV', documentDate: '2026-01-05' };
    const draft = { ...header, directiveId: 'bx-1', basisDirectiveId: null, period: { from: '2026-01-01', to: '2026-12-31' } };
    await refused(
      { method: 'POST', url: '/directives', token: districtOfficer, body: { ...draft, issuerUnitId: 'LCI' } },
      403,
      'AUTH.NOT_YOUR_UNIT',
    );
    await refused(
      { method: 'POST', url: '/directives/lc-11/targets', token: districtOfficer, body: target },
      403,
      'AUTH.NOT_YOUR_UNIT',
    );
    const issue = { signedBy: 'X', scope: { level: 'commune', underUnitId: 'LCI' } };
    await refused(
      { method: 'POST', url: '/directives/lc-11/issue', token: provinceOfficer, body: issue },
      403,
      'AUTH.ROLE_REQUIRED',
    );
    await refused(
      { method: 'POST', url: '/directives/lc-11/assignments/LCI-BX-01/acknowledge', token: districtOfficer },
      403,
      'AUTH.NOT_YOUR_UNIT',
    );

    // Unknown directives, assignments and units.
    await refused(
      { method: 'POST', url: '/directives/nope/targets', token: provinceOfficer, body: target },
      404,
      'DIRECTIVE.NOT_FOUND',
    );
    await refused(
      { method: 'POST', url: '/directives/nope/issue', token: provinceLeader, body: issue },
      404,
      'DIRECTIVE.NOT_FOUND',
    );
    const period = { period: '2026-H1', window: { from: '2025-12-15', to: '2026-06-14' }, due: '2026-06-20T23:59:59+07:00' };
    await refused(
      { method: 'POST', url: '/directives/nope/periods', token: provinceOfficer, body: period },
      404,
      'DIRECTIVE.NOT_FOUND',
    );
    await refused(
      { method: 'POST', url: '/directives/lc-11/assignments/LCI-BX-01/acknowledge', token: communeOfficer },
      404,
      'ASSIGNMENT.NOT_FOUND',
    );
    await refused(
      {
        method: 'POST',
        url: '/directives',
        token: provinceOfficer,
        body: { ...draft, issuerUnitId: 'LCI', basisDirectiveId: 'nope' },
      },
      404,
      'DIRECTIVE.NOT_FOUND',
    );
    await refused(
      {
        method: 'POST',
        url: '/directives/lc-11/issue',
        token: provinceLeader,
        body: { signedBy: 'X', scope: { level: 'commune', underUnitId: 'ZZ' } },
      },
      404,
      'UNIT.NOT_FOUND',
    );

    // Bad bodies: every offending field is named, nested ones by their path.
    const bad = await refused(
      {
        method: 'POST',
        url: '/directives',
        token: provinceOfficer,
        body: {
          directiveId: 'bad_id',
          number: 11,
          kind: 'memo',
          title: '',
          issuerUnitId: 'LCI',
          issuingBody: 'BTV',
          documentDate: '2026-02-30x',
          period: { from: '2026-13-01', to: '2026-12-31', extra: 1 },
          targets: [{ ...target, shape: 'percent', value: '5', milestones: [{ from: 'soon', value: 1 }], colour: 'red' }, 7],
          tasks: [{ taskId: 't', title: 'T', coordinating: 'all' }],
          schedule: { cadence: 'weekly', cutOffDay: 31 },
          inheritBasisTargets: 'yes',
          extra: true,
        },
      },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(bad.json)).toEqual([
      'basisDirectiveId',
      'directiveId',
      'documentDate',
      'extra',
      'inheritBasisTargets',
      'kind',
      'number',
      'period.extra',
      'period.from',
      'schedule.cadence',
      'schedule.cutOffDay',
      'targets[0].colour',
      'targets[0].milestones[0].from',
      'targets[0].shape',
      'targets[0].value',
      'targets[1]',
      'tasks[0].coordinating',
      'title',
    ]);
    const badTarget = await refused(
      { method: 'POST', url: '/directives/lc-11/targets', token: provinceOfficer, body: { targetId: 'lc-9', threshold: null } },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(badTarget.json)).toEqual(['code', 'measuredAtLevel', 'shape', 'threshold', 'title', 'value']);
    const badIssue = await refused(
      {
        method: 'POST',
        url: '/directives/lc-11/issue',
        token: provinceLeader,
        body: { assigneeUnitIds: ['LCI-BX', 'a b'], scope: 'LCI' },
      },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(badIssue.json)).toEqual(['assigneeUnitIds', 'scope', 'signedBy']);
    const badImport = await refused(
      {
        method: 'POST',
        url: '/directives/import',
        token: provinceOfficer,
        body: { directiveId: 'x', format: 'xml', content: '' },
      },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(badImport.json)).toEqual(['content', 'format']);
    const badAmend = await refused(
      {
        method: 'POST',
        url: '/directives/lc-11/amend',
        token: provinceLeader,
        body: { changes: { targetsAdded: 'all', schedule: null } },
      },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(badAmend.json)).toEqual(['changes.schedule', 'changes.targetsAdded', 'reason']);
    const badPeriod = await refused(
      {
        method: 'POST',
        url: '/directives/lc-11/periods',
        token: provinceOfficer,
        body: { period: '2026-H3', window: { from: '2026-01-01' }, due: 'tomorrow' },
      },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(badPeriod.json)).toEqual(['due', 'period', 'window.to']);
    const badAck = await refused(
      { method: 'POST', url: '/directives/lc-11/assignments/LCI_BX/acknowledge', token: communeOfficer },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(badAck.json)).toEqual(['unitId']);
    // null is not "left out": the services tell the two apart, so the DTOs refuse it.
    const nulls = await refused(
      {
        method: 'POST',
        url: '/directives',
        token: provinceOfficer,
        body: { ...draft, issuerUnitId: 'LCI', schedule: null, place: null, targets: null },
      },
      400,
      'REQUEST.INVALID',
    );
    expect(fieldsOf(nulls.json)).toEqual(['place', 'schedule', 'targets']);
    for (const body of ['[]', '"text"', 'null', '42']) {
      await refused(
        {
          method: 'POST',
          url: '/directives/lc-11/tasks',
          token: provinceOfficer,
          body,
          headers: { 'content-type': 'application/json' },
        },
        400,
        'REQUEST.INVALID',
      );
    }

    // What the DTOs leave to the deciders is refused there, still with 400 and the field named.
    const looseTarget = await refused(
      {
        method: 'POST',
        url: '/directives/lc-11/targets',
        token: provinceOfficer,
        body: {
          ...target,
          value: 5,
          threshold: 2,
          milestones: [
            { from: '2027-01-01', value: 0.5 },
            { from: '2026-01-01', value: 0.6 },
          ],
        },
      },
      400,
      'DIRECTIVE.INVALID',
    );
    expect(fieldsOf(looseTarget.json)).toEqual(['target.milestones[1].from', 'target.threshold', 'target.value']);
    const taken = await refused(
      {
        method: 'POST',
        url: '/directives/lc-11/targets',
        token: provinceOfficer,
        body: { ...target, targetId: 'lc-4', code: '(4)' },
      },
      400,
      'DIRECTIVE.INVALID',
    );
    expect(fieldsOf(taken.json)).toEqual(['target.code', 'target.targetId']);
    const twoLeads = await refused(
      {
        method: 'POST',
        url: '/directives/lc-11/tasks',
        token: provinceOfficer,
        body: { taskId: 'x', title: ' ', leadUnitId: 'LCI-BX', leadDepartment: 'Ban' },
      },
      400,
      'DIRECTIVE.INVALID',
    );
    expect(fieldsOf(twoLeads.json)).toEqual(['task.leadDepartment', 'task.title']);
    await refused(
      {
        method: 'POST',
        url: '/directives',
        token: provinceOfficer,
        body: { ...draft, issuerUnitId: 'LCI', period: { from: '2026-12-31', to: '2026-01-01' } },
      },
      400,
      'DIRECTIVE.INVALID',
    );
    await refused(
      {
        method: 'POST',
        url: '/directives/import',
        token: provinceOfficer,
        body: { directiveId: 'lc-12', format: 'yaml', content: 'number: [unclosed' },
      },
      400,
      'DIRECTIVE_IMPORT.UNPARSABLE',
    );
    const unknownField = await refused(
      {
        method: 'POST',
        url: '/directives/import',
        token: provinceOfficer,
        body: { directiveId: 'lc-12', format: 'json', content: '{"number": 5, "colour": "red"}' },
      },
      400,
      'DIRECTIVE_IMPORT.INVALID',
    );
    expect(fieldsOf(unknownField.json)).toEqual(expect.arrayContaining(['colour', 'number']));
    await refused(
      {
        method: 'POST',
        url: '/directives/lc-11/issue',
        token: provinceLeader,
        body: { signedBy: 'X', assigneeUnitIds: ['LCI-BX'], scope: { level: 'commune', underUnitId: 'LCI' } },
      },
      400,
      'DIRECTIVE.INVALID',
    );
    await refused(
      { method: 'POST', url: '/directives/lc-11/issue', token: provinceLeader, body: { signedBy: 'X', assigneeUnitIds: [] } },
      400,
      'DIRECTIVE.NO_ASSIGNEES',
    );
    await refused(
      {
        method: 'POST',
        url: '/directives/lc-11/issue',
        token: provinceLeader,
        body: { signedBy: 'X', assigneeUnitIds: ['LCI-BX', 'TW', 'ZZ'] },
      },
      400,
      'DIRECTIVE.ASSIGNEE_OUTSIDE_SUBTREE',
    );
    await refused(
      {
        method: 'POST',
        url: '/directives/lc-11/issue',
        token: provinceLeader,
        body: { signedBy: 'X', scope: { level: 'hamlet', underUnitId: 'LCI' } },
      },
      400,
      'DIRECTIVE.NO_ASSIGNEES',
    );
    await refused(
      { method: 'POST', url: '/directives/lc-11/amend', token: provinceLeader, body: { changes: {}, reason: 'x' } },
      409,
      'DIRECTIVE.NOT_ISSUED',
    );
    await refused(
      { method: 'POST', url: '/directives/lc-11/targets', token: provinceOfficer, body: target, headers: { 'if-match': '"3"' } },
      412,
      'PRECONDITION_FAILED',
    );
    await refused(
      {
        method: 'POST',
        url: '/directives/import',
        token: provinceOfficer,
        body: { directiveId: 'lc-11', format: 'yaml', content: LAO_CAI_YAML },
      },
      409,
      'DIRECTIVE.ALREADY_DRAFTED',
    );
  });
});
