import type { CommandMetadata, TargetDefinition } from '@app/kernel';
import { deciderSpec } from '@app/kernel/testing';
import type { DirectiveCommand, DraftDirective, DraftDirectiveData } from './directive.commands';
import { directiveDecider } from './directive.decider';
import type { DirectiveEvent, DirectiveHeader, ReportingSchedule, Task } from './directive.events';

const NOW = new Date('2026-03-02T03:00:00.000Z');
const meta = (now = NOW): CommandMetadata => ({ commandId: 'cmd-1', actor: { userId: 'officer-1', unitId: 'lao-cai' }, now });
const spec = deciderSpec(directiveDecider);

const header: DirectiveHeader = {
  directiveId: 'd-1',
  number: '11/CTr-BTV',
  kind: 'program',
  title: 'Chương trình hành động thực hiện Nghị quyết số 29-NQ/TU',
  issuerUnitId: 'lao-cai',
  issuingBody: 'Ban Thường vụ',
  place: 'Lào Cai',
  documentDate: '2022-09-15',
  basisDirectiveId: null,
  period: { from: '2022-09-15', to: '2030-12-31' },
};

const newDeed: TargetDefinition = {
  targetId: 't1',
  code: '(1)',
  title: 'Đăng ký với cấp ủy ít nhất 01 việc làm mới',
  shape: 'share_of_units',
  measuredAtLevel: 'all',
  value: 1,
  threshold: 1,
};
const enrolment: TargetDefinition = {
  targetId: 't4',
  code: '(4)',
  title: 'Tỷ lệ tập hợp hội viên',
  shape: 'rate',
  measuredAtLevel: 'commune',
  value: 0.85,
  milestones: [
    { from: '2025-01-01', value: 0.85 },
    { from: '2026-01-01', value: 0.9 },
  ],
};
const models: TargetDefinition = {
  targetId: 't7',
  code: '(7)',
  title: 'Ít nhất 01 mô hình "Dân vận khéo"',
  shape: 'count_with_floor',
  measuredAtLevel: 'commune',
  value: 1,
};
const task: Task = { taskId: 'k1', title: 'Xây dựng kế hoạch triển khai', level: 'district', coordinating: [] };
const defaults: Omit<ReportingSchedule, 'cadence'> = {
  cutOffDay: 14,
  dueOffsetDays: 6,
  reminderOffsetsDays: [7, 3, 1],
  escalationSteps: [
    { afterWorkingDays: 2, to: 'parent' },
    { afterWorkingDays: 5, to: 'grandparent' },
  ],
  approvalRequired: true,
};

const draft = (data: Partial<DraftDirectiveData> = {}): DraftDirective => ({
  type: 'DraftDirective',
  data: { ...header, ...data },
  metadata: meta(),
});
const cmd = <C extends DirectiveCommand>(type: C['type'], data: C['data']): C => ({ type, data, metadata: meta() }) as C;

const drafted: DirectiveEvent = { type: 'DirectiveDrafted', data: header };
const targetAdded = (target: TargetDefinition, inheritedFrom?: string): DirectiveEvent => ({
  type: 'TargetAdded',
  data: { directiveId: 'd-1', target, ...(inheritedFrom && { inheritedFrom }) },
});
const issued: DirectiveEvent = {
  type: 'DirectiveIssued',
  data: {
    directiveId: 'd-1',
    signedBy: 'Hà Thị Khánh Nguyệt',
    issuedAt: NOW.toISOString(),
    assigneeUnitIds: ['bat-xat', 'sa-pa'],
  },
};
const closed: DirectiveEvent = { type: 'DirectiveClosed', data: { directiveId: 'd-1' } };

describe('directive decider', () => {
  describe('DraftDirective', () => {
    it('drafts a directive from its header alone', () => {
      spec.given([]).when(draft()).then([drafted]);
    });

    it('drafts targets, tasks and a schedule at once, filling in the schedule defaults', () => {
      spec
        .given([])
        .when(draft({ targets: [newDeed, enrolment], tasks: [task], schedule: { cadence: 'half_yearly' } }))
        .then([
          drafted,
          targetAdded(newDeed),
          targetAdded(enrolment),
          { type: 'TaskAdded', data: { directiveId: 'd-1', ...task } },
          { type: 'ReportingScheduleSet', data: { directiveId: 'd-1', cadence: 'half_yearly', ...defaults } },
        ]);
    });

    it('drafts an implementing directive that inherits the basis targets and tightens one', () => {
      const stricter = { ...enrolment, value: 0.88, milestones: [{ from: '2026-01-01', value: 0.92 }] };
      spec
        .given([])
        .when(
          draft({
            directiveId: 'd-1',
            basisDirectiveId: 'd-0',
            targets: [stricter, models],
            inheritTargets: { directiveId: 'd-0', targets: [newDeed, enrolment] },
          }),
        )
        .then([
          { type: 'DirectiveDrafted', data: { ...header, basisDirectiveId: 'd-0' } },
          targetAdded(newDeed, 'd-0'),
          targetAdded(stricter, 'd-0'),
          targetAdded(models),
        ]);
    });

    it('lets an implementing directive set its own absolute total, lower than the basis (its area is smaller)', () => {
      const total: TargetDefinition = { ...models, targetId: 'tt', code: '(9)', shape: 'absolute_total', value: 1200 };
      const events = spec
        .given([])
        .when(
          draft({
            basisDirectiveId: 'd-0',
            targets: [{ ...total, value: 40 }],
            inheritTargets: { directiveId: 'd-0', targets: [total] },
          }),
        )
        .events();
      expect(events[1]).toEqual(targetAdded({ ...total, value: 40 }, 'd-0'));
    });

    it('refuses a second draft of the same directive: DIRECTIVE.ALREADY_DRAFTED', () => {
      spec.given([drafted]).when(draft()).thenRefused('DIRECTIVE.ALREADY_DRAFTED', 'conflict');
    });

    it('refuses a bad header, naming each field: DIRECTIVE.INVALID', () => {
      spec
        .given([])
        .when(
          draft({
            number: ' ',
            kind: 'memo' as never,
            documentDate: '2022-02-30',
            period: { from: '2030-01-01', to: '2022-01-01' },
            issuingBody: 'x'.repeat(10_001),
          }),
        )
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['number', 'kind', 'documentDate', 'period.to', 'issuingBody']);
    });

    it('refuses targets that break their shape rules, naming each field', () => {
      const error = spec
        .given([])
        .when(
          draft({
            targets: [
              { ...enrolment, value: 1.2 },
              {
                ...enrolment,
                targetId: 't4b',
                code: '(4b)',
                milestones: [
                  { from: '2026-01-01', value: 0.9 },
                  { from: '2025-01-01', value: 0 },
                ],
              },
              { ...models, targetId: 't1', code: '(1)' },
              { ...models, targetId: 't1', code: '(1)', threshold: 2 },
              { ...models, targetId: 'd', code: '(d)', shape: 'deliverable', value: 2, milestones: [] },
              { ...models, targetId: 'x', code: '(x)', shape: 'guess' as never },
              { ...enrolment, targetId: 'm', code: '(m)', milestones: [{ from: '2025-13-01', value: 0.5 }] },
              { ...newDeed, targetId: 's', code: '(s)', threshold: 0 },
            ],
          }),
        )
        .thenRefused('DIRECTIVE.INVALID', 'validation', [
          'targets[0].value',
          'targets[1].milestones[1].from',
          'targets[1].milestones[1].value',
          'targets[3].targetId',
          'targets[3].code',
          'targets[3].threshold',
          'targets[4].value',
          'targets[4].milestones',
          'targets[5].shape',
          'targets[6].milestones[0].from',
          'targets[7].threshold',
        ]);
      expect(error.message).toContain('targets[0].value');
    });

    it('refuses bad tasks and a bad schedule, naming each field', () => {
      spec
        .given([])
        .when(
          draft({
            tasks: [
              task,
              { ...task, leadUnitId: 'sa-pa', leadDepartment: 'Ban Tổ chức', due: '30/6/2020' },
              { ...task, taskId: 'k2', title: '' },
            ],
            schedule: {
              cadence: 'weekly' as never,
              cutOffDay: 31,
              dueOffsetDays: -1,
              reminderOffsetsDays: [3, 3],
              escalationSteps: [
                { afterWorkingDays: 5, to: 'parent' },
                { afterWorkingDays: 2, to: 'cousin' as never },
              ],
            },
          }),
        )
        .thenRefused('DIRECTIVE.INVALID', 'validation', [
          'tasks[1].taskId',
          'tasks[1].leadDepartment',
          'tasks[1].due',
          'tasks[2].title',
          'schedule.cadence',
          'schedule.cutOffDay',
          'schedule.dueOffsetDays',
          'schedule.reminderOffsetsDays[1]',
          'schedule.escalationSteps[1].afterWorkingDays',
          'schedule.escalationSteps[1].to',
        ]);
    });

    it('refuses inherited targets that do not come from the basis directive', () => {
      spec
        .given([])
        .when(draft({ basisDirectiveId: 'd-0', inheritTargets: { directiveId: 'd-9', targets: [newDeed] } }))
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['inheritTargets.directiveId']);
      spec
        .given([])
        .when(draft({ inheritTargets: { directiveId: 'd-0', targets: [newDeed] } }))
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['inheritTargets']);
    });

    it('refuses a code clash between an inherited target and a new one', () => {
      spec
        .given([])
        .when(
          draft({
            basisDirectiveId: 'd-0',
            targets: [{ ...models, code: newDeed.code }],
            inheritTargets: { directiveId: 'd-0', targets: [newDeed] },
          }),
        )
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['targets[0].code']);
    });

    it.each([
      ['a lower rate', { ...enrolment, value: 0.8 }, 'targets[0].value'],
      ['a lower milestone', { ...enrolment, milestones: [{ from: '2026-01-01', value: 0.88 }] }, 'targets[0].milestones'],
      ['another shape', { ...enrolment, shape: 'count_with_floor', value: 5 }, 'targets[0].shape'],
    ] as const)('refuses %s than the basis: DIRECTIVE.TARGET_LOOSER_THAN_BASIS', (_, target, field) => {
      spec
        .given([])
        .when(draft({ basisDirectiveId: 'd-0', targets: [target], inheritTargets: { directiveId: 'd-0', targets: [enrolment] } }))
        .thenRefused('DIRECTIVE.TARGET_LOOSER_THAN_BASIS', 'validation', [field]);
    });

    it('refuses a share target with a lower threshold than the basis', () => {
      spec
        .given([])
        .when(
          draft({
            basisDirectiveId: 'd-0',
            targets: [{ ...newDeed, threshold: 0.5 }],
            inheritTargets: { directiveId: 'd-0', targets: [newDeed] },
          }),
        )
        .thenRefused('DIRECTIVE.TARGET_LOOSER_THAN_BASIS', 'validation', ['targets[0].threshold']);
    });
  });

  describe('AddTarget', () => {
    it('adds a target to a draft', () => {
      spec
        .given([drafted])
        .when(cmd('AddTarget', { directiveId: 'd-1', target: models }))
        .then([targetAdded(models)]);
    });

    it('refuses a target whose id or code is already used: DIRECTIVE.INVALID', () => {
      spec
        .given([drafted, targetAdded(models)])
        .when(cmd('AddTarget', { directiveId: 'd-1', target: { ...models, title: 'again' } }))
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['target.targetId', 'target.code']);
    });

    it('refuses a target with a bad value: DIRECTIVE.INVALID naming target.value', () => {
      spec
        .given([drafted])
        .when(cmd('AddTarget', { directiveId: 'd-1', target: { ...enrolment, value: 0 } }))
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['target.value']);
    });

    it('refuses a directive that does not exist: DIRECTIVE.NOT_FOUND', () => {
      spec
        .given([])
        .when(cmd('AddTarget', { directiveId: 'd-1', target: models }))
        .thenRefused('DIRECTIVE.NOT_FOUND', 'not_found');
    });

    it('refuses an issued directive: DIRECTIVE.NOT_DRAFT (amend it instead)', () => {
      spec
        .given([drafted, issued])
        .when(cmd('AddTarget', { directiveId: 'd-1', target: models }))
        .thenRefused('DIRECTIVE.NOT_DRAFT', 'illegal_state');
    });

    it('refuses a closed directive: DIRECTIVE.CLOSED', () => {
      spec
        .given([drafted, closed])
        .when(cmd('AddTarget', { directiveId: 'd-1', target: models }))
        .thenRefused('DIRECTIVE.CLOSED', 'illegal_state');
    });
  });

  describe('AddTask', () => {
    it('adds a task to a draft', () => {
      spec
        .given([drafted])
        .when(
          cmd('AddTask', { directiveId: 'd-1', task: { ...task, leadDepartment: 'Ban Tổ chức – tổng hợp', due: '2022-12-31' } }),
        )
        .then([
          {
            type: 'TaskAdded',
            data: { directiveId: 'd-1', ...task, leadDepartment: 'Ban Tổ chức – tổng hợp', due: '2022-12-31' },
          },
        ]);
    });

    it('refuses a repeated task id: DIRECTIVE.INVALID', () => {
      spec
        .given([drafted, { type: 'TaskAdded', data: { directiveId: 'd-1', ...task } }])
        .when(cmd('AddTask', { directiveId: 'd-1', task }))
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['task.taskId']);
    });

    it('refuses a missing, issued or closed directive', () => {
      const add = cmd('AddTask', { directiveId: 'd-1', task });
      spec.given([]).when(add).thenRefused('DIRECTIVE.NOT_FOUND');
      spec.given([drafted, issued]).when(add).thenRefused('DIRECTIVE.NOT_DRAFT');
      spec.given([drafted, closed]).when(add).thenRefused('DIRECTIVE.CLOSED');
    });
  });

  describe('SetReportingSchedule', () => {
    it('sets a schedule with defaults for what is left out', () => {
      spec
        .given([drafted])
        .when(cmd('SetReportingSchedule', { directiveId: 'd-1', schedule: { cadence: 'monthly', approvalRequired: false } }))
        .then([
          {
            type: 'ReportingScheduleSet',
            data: { directiveId: 'd-1', cadence: 'monthly', ...defaults, approvalRequired: false },
          },
        ]);
    });

    it('keeps what is given, reminders largest first', () => {
      const schedule = {
        cadence: 'quarterly' as const,
        cutOffDay: 20,
        dueOffsetDays: 10,
        reminderOffsetsDays: [1, 5],
        escalationSteps: [{ afterWorkingDays: 3, to: 'grandparent' as const }],
        approvalRequired: true,
      };
      spec
        .given([drafted])
        .when(cmd('SetReportingSchedule', { directiveId: 'd-1', schedule }))
        .then([{ type: 'ReportingScheduleSet', data: { directiveId: 'd-1', ...schedule, reminderOffsetsDays: [5, 1] } }]);
    });

    it('refuses a bad schedule: DIRECTIVE.INVALID', () => {
      spec
        .given([drafted])
        .when(cmd('SetReportingSchedule', { directiveId: 'd-1', schedule: { cadence: 'monthly', cutOffDay: 0 } }))
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['schedule.cutOffDay']);
    });

    it('refuses a missing, issued or closed directive', () => {
      const set = cmd('SetReportingSchedule', { directiveId: 'd-1', schedule: { cadence: 'yearly' } });
      spec.given([]).when(set).thenRefused('DIRECTIVE.NOT_FOUND');
      spec.given([drafted, issued]).when(set).thenRefused('DIRECTIVE.NOT_DRAFT');
      spec.given([drafted, closed]).when(set).thenRefused('DIRECTIVE.CLOSED');
    });
  });

  describe('IssueDirective', () => {
    const ancestry = { 'bat-xat': ['lao-cai', 'vn'], 'sa-pa': ['lao-cai', 'vn'], 'ha-noi': ['vn'] };
    const issue = (assigneeUnitIds: string[], extra: object = {}) =>
      cmd('IssueDirective', {
        directiveId: 'd-1',
        signedBy: 'Hà Thị Khánh Nguyệt',
        assigneeUnitIds,
        assigneeAncestry: ancestry,
        ...extra,
      });

    it('issues a draft to units below the issuer, stamped with the command time', () => {
      spec
        .given([drafted])
        .when(issue(['bat-xat', 'sa-pa']))
        .then([issued]);
    });

    it('keeps the scope the assignee list was resolved from', () => {
      spec
        .given([drafted])
        .when(issue(['bat-xat'], { scope: { level: 'district', underUnitId: 'lao-cai' } }))
        .then([
          {
            type: 'DirectiveIssued',
            data: { ...issued.data, assigneeUnitIds: ['bat-xat'], scope: { level: 'district', underUnitId: 'lao-cai' } },
          } as DirectiveEvent,
        ]);
    });

    it('refuses an empty assignee list: DIRECTIVE.NO_ASSIGNEES', () => {
      spec.given([drafted]).when(issue([])).thenRefused('DIRECTIVE.NO_ASSIGNEES', 'validation', ['assigneeUnitIds']);
    });

    it('refuses assignees outside the issuer subtree or unknown to the tree: DIRECTIVE.ASSIGNEE_OUTSIDE_SUBTREE', () => {
      const error = spec
        .given([drafted])
        .when(issue(['bat-xat', 'ha-noi', 'atlantis']))
        .thenRefused('DIRECTIVE.ASSIGNEE_OUTSIDE_SUBTREE', 'validation', ['assigneeUnitIds[1]', 'assigneeUnitIds[2]']);
      expect(error.message).toContain('ha-noi');
    });

    it('refuses the issuer itself as an assignee', () => {
      spec
        .given([drafted])
        .when(
          cmd('IssueDirective', {
            directiveId: 'd-1',
            signedBy: 'X',
            assigneeUnitIds: ['lao-cai'],
            assigneeAncestry: { 'lao-cai': ['vn'] },
          }),
        )
        .thenRefused('DIRECTIVE.ASSIGNEE_OUTSIDE_SUBTREE');
    });

    it('refuses a repeated assignee or a blank signer: DIRECTIVE.INVALID', () => {
      spec
        .given([drafted])
        .when(issue(['bat-xat', 'bat-xat'], { signedBy: '' }))
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['assigneeUnitIds[1]', 'signedBy']);
    });

    it('refuses a missing, already issued or closed directive', () => {
      spec
        .given([])
        .when(issue(['bat-xat']))
        .thenRefused('DIRECTIVE.NOT_FOUND');
      spec
        .given([drafted, issued])
        .when(issue(['bat-xat']))
        .thenRefused('DIRECTIVE.NOT_DRAFT');
      spec
        .given([drafted, closed])
        .when(issue(['bat-xat']))
        .thenRefused('DIRECTIVE.CLOSED');
    });
  });

  describe('AmendDirective', () => {
    const given: DirectiveEvent[] = [
      drafted,
      targetAdded(enrolment),
      { type: 'TaskAdded', data: { directiveId: 'd-1', ...task } },
      { type: 'ReportingScheduleSet', data: { directiveId: 'd-1', cadence: 'half_yearly', ...defaults, dueOffsetDays: 10 } },
      issued,
    ];
    const amend = (changes: object, reason = 'Điều chỉnh theo Nghị quyết Đại hội', extra: object = {}) =>
      cmd('AmendDirective', { directiveId: 'd-1', changes, reason, ...extra });

    it('records targets added and replaced, tasks, and a schedule merged with the current one', () => {
      const raised = { ...enrolment, value: 0.87 };
      const task2 = { ...task, taskId: 'k2', title: 'Sơ kết giữa nhiệm kỳ' };
      spec
        .given(given)
        .when(amend({ targetsAdded: [models], targetsReplaced: [raised], tasksAdded: [task2], schedule: { cadence: 'yearly' } }))
        .then([
          {
            type: 'DirectiveAmended',
            data: {
              directiveId: 'd-1',
              changes: {
                targetsAdded: [models],
                targetsReplaced: [raised],
                tasksAdded: [task2],
                schedule: { cadence: 'yearly', ...defaults, dueOffsetDays: 10 },
              },
              reason: 'Điều chỉnh theo Nghị quyết Đại hội',
            },
          },
        ]);
    });

    it('folds an amendment into the state: its targets can be replaced and their codes are taken', () => {
      const first: DirectiveEvent = {
        type: 'DirectiveAmended',
        data: {
          directiveId: 'd-1',
          changes: { targetsAdded: [models], tasksReplaced: [{ ...task, title: 'Mới' }] },
          reason: 'r',
        },
      };
      const [amended] = spec
        .given([...given, first])
        .when(amend({ targetsReplaced: [{ ...models, value: 2 }] }))
        .events();
      expect(amended).toMatchObject({
        type: 'DirectiveAmended',
        data: { changes: { targetsReplaced: [{ ...models, value: 2 }] } },
      });
      spec
        .given([...given, first])
        .when(amend({ targetsAdded: [{ ...newDeed, code: models.code }] }))
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['changes.targetsAdded[0].code']);
    });

    it('refuses replacing what does not exist: DIRECTIVE.INVALID', () => {
      spec
        .given(given)
        .when(amend({ targetsReplaced: [models], tasksReplaced: [{ ...task, taskId: 'nope' }] }))
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['changes.targetsReplaced[0]', 'changes.tasksReplaced[0]']);
    });

    it('refuses an amendment without a reason: DIRECTIVE.AMEND_REASON_REQUIRED', () => {
      spec
        .given(given)
        .when(amend({ targetsAdded: [models] }, '  '))
        .thenRefused('DIRECTIVE.AMEND_REASON_REQUIRED', 'validation', ['reason']);
    });

    it('refuses an amendment that changes nothing: DIRECTIVE.NOTHING_TO_AMEND', () => {
      spec
        .given(given)
        .when(amend({ targetsAdded: [] }))
        .thenRefused('DIRECTIVE.NOTHING_TO_AMEND', 'validation');
    });

    it('refuses amending a draft (edit it directly): DIRECTIVE.NOT_ISSUED', () => {
      spec
        .given([drafted])
        .when(amend({ targetsAdded: [models] }))
        .thenRefused('DIRECTIVE.NOT_ISSUED', 'illegal_state');
    });

    it('refuses a missing or closed directive', () => {
      spec
        .given([])
        .when(amend({ targetsAdded: [models] }))
        .thenRefused('DIRECTIVE.NOT_FOUND');
      spec
        .given([...given, closed])
        .when(amend({ targetsAdded: [models] }))
        .thenRefused('DIRECTIVE.CLOSED');
    });

    describe('of an implementing directive', () => {
      const child: DirectiveEvent[] = [
        { type: 'DirectiveDrafted', data: { ...header, basisDirectiveId: 'd-0' } },
        targetAdded({ ...enrolment, value: 0.9 }, 'd-0'),
        issued,
      ];
      const basisTargets = { directiveId: 'd-0', targets: [enrolment] };

      it('lets an inherited target be loosened back to, but not below, the basis', () => {
        const [amended] = spec
          .given(child)
          .when(amend({ targetsReplaced: [enrolment] }, 'Theo thực tế địa phương', { basisTargets }))
          .events();
        expect(amended).toMatchObject({ type: 'DirectiveAmended', data: { changes: { targetsReplaced: [enrolment] } } });
        spec
          .given(child)
          .when(amend({ targetsReplaced: [{ ...enrolment, value: 0.8 }] }, 'Theo thực tế', { basisTargets }))
          .thenRefused('DIRECTIVE.TARGET_LOOSER_THAN_BASIS', 'validation', ['changes.targetsReplaced[0].value']);
      });

      it('refuses replacing an inherited target without the basis at hand: DIRECTIVE.INVALID', () => {
        spec
          .given(child)
          .when(amend({ targetsReplaced: [enrolment] }))
          .thenRefused('DIRECTIVE.INVALID', 'validation', ['basisTargets']);
      });
    });
  });

  describe('CloseDirective', () => {
    it('closes an issued directive with its reason', () => {
      spec
        .given([drafted, issued])
        .when(cmd('CloseDirective', { directiveId: 'd-1', reason: 'Hết hiệu lực' }))
        .then([{ type: 'DirectiveClosed', data: { directiveId: 'd-1', reason: 'Hết hiệu lực' } }]);
    });

    it('closes (withdraws) a draft', () => {
      spec
        .given([drafted])
        .when(cmd('CloseDirective', { directiveId: 'd-1' }))
        .then([closed]);
    });

    it('ignores closing twice', () => {
      spec
        .given([drafted, closed])
        .when(cmd('CloseDirective', { directiveId: 'd-1' }))
        .thenNothing();
    });

    it('refuses a directive that does not exist: DIRECTIVE.NOT_FOUND', () => {
      spec
        .given([])
        .when(cmd('CloseDirective', { directiveId: 'd-1' }))
        .thenRefused('DIRECTIVE.NOT_FOUND', 'not_found');
    });

    it('refuses a blank reason: DIRECTIVE.INVALID', () => {
      spec
        .given([drafted])
        .when(cmd('CloseDirective', { directiveId: 'd-1', reason: ' ' }))
        .thenRefused('DIRECTIVE.INVALID', 'validation', ['reason']);
    });
  });
});

describe('directive decider: OpenReportingPeriod', () => {
  const opening = {
    directiveId: 'd-1',
    period: '2026-Q2',
    window: { from: '2026-03-15', to: '2026-06-14' },
    due: '2026-06-22T16:59:59.999Z',
    deadlines: {
      reminders: [{ step: 1, daysBefore: 7, at: '2026-06-11T01:00:00.000Z' }],
      escalations: [{ step: 1, afterWorkingDays: 2, to: 'parent' as const, at: '2026-06-24T01:00:00.000Z' }],
    },
    openedBy: 'schedule' as const,
  };
  const periodOpened: DirectiveEvent = { type: 'ReportingPeriodOpened', data: opening };

  it('records the period with its window, due instant and follow-up instants', () => {
    spec.given([drafted, issued]).when(cmd('OpenReportingPeriod', opening)).then([periodOpened]);
  });

  it('ignores a period already opened (the timer and an ad hoc request may meet)', () => {
    spec
      .given([drafted, issued, periodOpened])
      .when(cmd('OpenReportingPeriod', { ...opening, openedBy: 'request' }))
      .thenNothing();
  });

  it('refuses a draft, a closed and an unknown directive', () => {
    spec.given([drafted]).when(cmd('OpenReportingPeriod', opening)).thenRefused('DIRECTIVE.NOT_ISSUED', 'illegal_state');
    spec.given([drafted, issued, closed]).when(cmd('OpenReportingPeriod', opening)).thenRefused('DIRECTIVE.CLOSED');
    spec.given([]).when(cmd('OpenReportingPeriod', opening)).thenRefused('DIRECTIVE.NOT_FOUND', 'not_found');
  });

  it('refuses a malformed opening, naming each field: DIRECTIVE.INVALID', () => {
    spec
      .given([drafted, issued])
      .when(
        cmd('OpenReportingPeriod', {
          ...opening,
          period: 'Q2/2026',
          window: { from: '2026-06-14', to: '2026-03-15' },
          due: '2026-06-22',
          deadlines: {
            reminders: [{ step: 0, daysBefore: -1, at: 'x' }],
            escalations: [{ step: 1, afterWorkingDays: 2, to: 'cousin' as 'parent', at: '2026-06-24T01:00:00.000Z' }],
          },
          openedBy: 'cron' as 'schedule',
        }),
      )
      .thenRefused('DIRECTIVE.INVALID', 'validation', [
        'period',
        'window.to',
        'due',
        'openedBy',
        'deadlines.reminders[0].step',
        'deadlines.reminders[0].daysBefore',
        'deadlines.reminders[0].at',
        'deadlines.escalations[0].to',
      ]);
  });
});
