import { type Actor, type CommandMetadata, type TargetDefinition, systemActor } from '@app/kernel';
import { deciderSpec } from '@app/kernel/testing';
import type { ReportCommand } from './report.commands';
import { reportDecider } from './report.decider';
import type { Narrative, Obligation, ReportEvent, ReportValues } from './report.events';

const spec = deciderSpec(reportDecider);
const ref = { directiveId: 'd-1', unitId: 'bat-xat', period: '2026-H1' };
const officer: Actor = { userId: 'van-phong-bat-xat', unitId: 'bat-xat' };
const reviewer: Actor = { userId: 'ban-to-chuc-lao-cai', unitId: 'lao-cai' };
const stranger: Actor = { userId: 'x', unitId: 'sa-pa' };
const timer = systemActor('deadlines');

const DUE = '2026-06-20T23:59:59+07:00';
const BEFORE_DUE = new Date('2026-06-18T02:00:00Z');
const AFTER_DUE = new Date('2026-06-25T02:00:00Z');

const targets: TargetDefinition[] = [
  { targetId: 't4', code: '(4)', title: 'Tỷ lệ tập hợp hội viên', shape: 'rate', measuredAtLevel: 'commune', value: 0.85 },
  {
    targetId: 't7',
    code: '(7)',
    title: 'Mô hình "Dân vận khéo"',
    shape: 'count_with_floor',
    measuredAtLevel: 'commune',
    value: 1,
  },
  { targetId: 't9', code: '(9)', title: 'Hội nghị đối thoại', shape: 'deliverable', measuredAtLevel: 'district', value: 1 },
];
const obligation: Obligation = {
  ...ref,
  window: { from: '2025-12-15', to: '2026-06-14' },
  due: DUE,
  targets,
  approvalRequired: true,
  reviewerUnitId: 'lao-cai',
};
const values: ReportValues = {
  t4: { kind: 'ratio', numerator: 850, denominator: 1000 },
  t7: { kind: 'number', value: 2 },
  t9: { kind: 'done', done: true, evidence: 'Biên bản hội nghị ngày 10/5/2026' },
};
const narrative: Narrative = { results: 'Hoàn thành các chỉ tiêu', difficulties: 'Địa bàn rộng', proposals: 'Bổ sung kinh phí' };

const meta = (actor: Actor, now = BEFORE_DUE): CommandMetadata => ({ commandId: 'cmd-1', actor, now });
const cmd = <C extends ReportCommand>(type: C['type'], actor: Actor, extra: object = {}, now = BEFORE_DUE): C =>
  ({ type, data: { ...ref, ...extra }, metadata: meta(actor, now) }) as C;

const opened: ReportEvent = { type: 'ReportingObligationOpened', data: obligation };
const openedWithoutApproval: ReportEvent = {
  type: 'ReportingObligationOpened',
  data: { ...obligation, approvalRequired: false },
};
const submitted = (version = 1, onTime = true, at = BEFORE_DUE): ReportEvent => ({
  type: 'ReportSubmitted',
  data: { version, values, narrative, submittedAt: at.toISOString(), onTime },
});
const returned: ReportEvent = { type: 'ReportReturned', data: { version: 1, reason: 'Bổ sung số liệu chỉ tiêu (4)' } };
const approved = (version = 1): ReportEvent => ({ type: 'ReportApproved', data: { version } });
const waived: ReportEvent = { type: 'ObligationWaived', data: { reason: 'Đơn vị sáp nhập' } };
const overdue: ReportEvent = { type: 'ReportOverdue', data: { due: DUE } };
const escalated = (step: number, toUnitId: string): ReportEvent => ({ type: 'EscalationRaised', data: { step, toUnitId } });

const submit = (extra: object = {}, now = BEFORE_DUE, actor = officer) =>
  cmd('SubmitReport', actor, { values, narrative, ...extra }, now);

describe('report decider', () => {
  describe('OpenObligation', () => {
    it('opens the obligation with its snapshot of targets', () => {
      spec
        .given([])
        .when(cmd('OpenObligation', timer, obligation))
        .then([opened]);
    });

    it('keeps the follow-ups fixed at opening: reminder and escalation instants, and the unit each step goes to', () => {
      const followUps = {
        reminders: [{ step: 1, daysBefore: 7, at: '2026-06-11T01:00:00.000Z' }],
        escalations: [{ step: 1, toUnitId: 'lao-cai', at: '2026-06-24T01:00:00.000Z' }],
      };
      spec
        .given([])
        .when(cmd('OpenObligation', timer, { ...obligation, followUps }))
        .then([{ type: 'ReportingObligationOpened', data: { ...obligation, followUps } }]);
    });

    it('refuses malformed follow-ups, naming each field: REPORT.INVALID', () => {
      spec
        .given([])
        .when(
          cmd('OpenObligation', timer, {
            ...obligation,
            followUps: {
              reminders: [{ step: -1, daysBefore: 7, at: 'tomorrow' }],
              escalations: [{ step: 1, toUnitId: ' ', at: '2026-06-24T01:00:00.000Z' }, 'x'],
            },
          }),
        )
        .thenRefused('REPORT.INVALID', 'validation', [
          'followUps.reminders[0].step',
          'followUps.reminders[0].at',
          'followUps.escalations[0].toUnitId',
          'followUps.escalations[1]',
        ]);
      spec
        .given([])
        .when(cmd('OpenObligation', timer, { ...obligation, followUps: { reminders: 'soon', escalations: [] } }))
        .thenRefused('REPORT.INVALID', 'validation', ['followUps.reminders']);
    });

    it('ignores opening twice (the saga may fire again)', () => {
      spec
        .given([opened, submitted()])
        .when(cmd('OpenObligation', timer, obligation))
        .thenNothing();
    });

    it('refuses a malformed obligation, naming each field: REPORT.INVALID', () => {
      spec
        .given([])
        .when(
          cmd('OpenObligation', timer, {
            ...obligation,
            period: 'H1-2026',
            window: { from: '2026-06-14', to: '2025-12-15' },
            due: '2026-06-20',
            reviewerUnitId: '',
            targets: [targets[0], targets[0]],
          }),
        )
        .thenRefused('REPORT.INVALID', 'validation', ['period', 'window.to', 'due', 'reviewerUnitId', 'targets[1].targetId']);
    });
  });

  describe('SubmitReport', () => {
    it('records version 1 on time, with values and narrative', () => {
      spec
        .given([opened])
        .when(submit())
        .then([submitted(1, true)]);
    });

    it('records a late submission as not on time', () => {
      spec
        .given([opened])
        .when(submit({}, AFTER_DUE))
        .then([submitted(1, false, AFTER_DUE)]);
    });

    it('records a resubmission after a return as the next version', () => {
      spec
        .given([opened, submitted(), returned])
        .when(submit())
        .then([submitted(2, true)]);
    });

    it('resolves every open escalation when the report comes in', () => {
      spec
        .given([opened, overdue, escalated(1, 'lao-cai'), escalated(2, 'vn')])
        .when(submit({}, AFTER_DUE))
        .then([
          submitted(1, false, AFTER_DUE),
          { type: 'EscalationResolved', data: { toUnitId: 'lao-cai', step: 1, by: 'submission' } },
          { type: 'EscalationResolved', data: { toUnitId: 'vn', step: 2, by: 'submission' } },
        ]);
    });

    it('refuses a period with no open obligation: REPORT.NOT_OPEN', () => {
      spec.given([]).when(submit()).thenRefused('REPORT.NOT_OPEN', 'illegal_state');
    });

    it('refuses an officer of another unit: REPORT.WRONG_UNIT', () => {
      spec
        .given([opened])
        .when(submit({}, BEFORE_DUE, reviewer))
        .thenRefused('REPORT.WRONG_UNIT', 'forbidden');
      spec
        .given([opened])
        .when(submit({}, BEFORE_DUE, timer))
        .thenRefused('REPORT.WRONG_UNIT', 'forbidden');
    });

    it('refuses a second submission: REPORT.ALREADY_SUBMITTED', () => {
      spec.given([opened, submitted()]).when(submit()).thenRefused('REPORT.ALREADY_SUBMITTED', 'illegal_state');
    });

    it('refuses a submission after approval (correct instead): REPORT.ALREADY_APPROVED', () => {
      spec.given([opened, submitted(), approved()]).when(submit()).thenRefused('REPORT.ALREADY_APPROVED', 'illegal_state');
    });

    it('refuses a waived obligation: REPORT.WAIVED', () => {
      spec.given([opened, waived]).when(submit()).thenRefused('REPORT.WAIVED', 'illegal_state');
    });

    it('refuses values that do not fit the targets, naming values.<targetId>: REPORT.INVALID', () => {
      spec
        .given([opened])
        .when(
          submit({
            values: {
              t4: { kind: 'ratio', numerator: 1200, denominator: 1000 },
              t9: { kind: 'number', value: 1 },
              t99: { kind: 'number', value: 3 },
            },
            narrative: { results: 'x', difficulties: '' },
          }),
        )
        .thenRefused('REPORT.INVALID', 'validation', [
          'values.t4.numerator',
          'values.t7',
          'values.t9',
          'values.t99',
          'narrative.proposals',
        ]);
    });

    it('refuses a missing narrative or non-object values', () => {
      spec
        .given([opened])
        .when(submit({ values: null, narrative: undefined }))
        .thenRefused('REPORT.INVALID', 'validation', ['values', 'narrative']);
    });
  });

  describe('ReturnReport', () => {
    it('returns the submitted version with the reviewer’s reason', () => {
      spec
        .given([opened, submitted()])
        .when(cmd('ReturnReport', reviewer, { reason: 'Bổ sung số liệu chỉ tiêu (4)', version: 1 }))
        .then([returned]);
    });

    it('refuses a return without a reason: REPORT.REASON_REQUIRED', () => {
      spec
        .given([opened, submitted()])
        .when(cmd('ReturnReport', reviewer, { reason: '' }))
        .thenRefused('REPORT.REASON_REQUIRED', 'validation', ['reason']);
    });

    it('refuses anyone but the reviewer unit: REPORT.NOT_REVIEWER', () => {
      spec
        .given([opened, submitted()])
        .when(cmd('ReturnReport', officer, { reason: 'r' }))
        .thenRefused('REPORT.NOT_REVIEWER', 'forbidden');
    });

    it('refuses a report not yet submitted: REPORT.NOT_SUBMITTED', () => {
      spec
        .given([opened])
        .when(cmd('ReturnReport', reviewer, { reason: 'r' }))
        .thenRefused('REPORT.NOT_SUBMITTED', 'illegal_state');
      spec
        .given([opened, submitted(), returned])
        .when(cmd('ReturnReport', reviewer, { reason: 'r' }))
        .thenRefused('REPORT.NOT_SUBMITTED');
    });

    it('refuses an approved report: REPORT.ALREADY_APPROVED, and a waived one: REPORT.WAIVED', () => {
      spec
        .given([opened, submitted(), approved()])
        .when(cmd('ReturnReport', reviewer, { reason: 'r' }))
        .thenRefused('REPORT.ALREADY_APPROVED');
      spec
        .given([opened, waived])
        .when(cmd('ReturnReport', reviewer, { reason: 'r' }))
        .thenRefused('REPORT.WAIVED');
    });

    it('refuses a review of a version that is no longer current: REPORT.VERSION_MISMATCH', () => {
      spec
        .given([opened, submitted(), returned, submitted(2)])
        .when(cmd('ReturnReport', reviewer, { reason: 'r', version: 1 }))
        .thenRefused('REPORT.VERSION_MISMATCH', 'conflict');
    });

    it('refuses a period with no obligation: REPORT.NOT_OPEN', () => {
      spec
        .given([])
        .when(cmd('ReturnReport', reviewer, { reason: 'r' }))
        .thenRefused('REPORT.NOT_OPEN');
    });
  });

  describe('ApproveReport', () => {
    it('approves the submitted version', () => {
      spec
        .given([opened, submitted()])
        .when(cmd('ApproveReport', reviewer, { version: 1 }))
        .then([approved(1)]);
    });

    it('approves a correction as its new version', () => {
      const corrected: ReportEvent = { type: 'ReportCorrected', data: { version: 2, values, reason: 'Sai số liệu' } };
      spec
        .given([opened, submitted(), approved(), corrected])
        .when(cmd('ApproveReport', reviewer))
        .then([approved(2)]);
    });

    it('ignores approving the approved version again', () => {
      spec
        .given([opened, submitted(), approved()])
        .when(cmd('ApproveReport', reviewer, { version: 1 }))
        .thenNothing();
    });

    it('refuses when the directive asks for no approval: REPORT.APPROVAL_NOT_REQUIRED', () => {
      spec
        .given([openedWithoutApproval, submitted()])
        .when(cmd('ApproveReport', reviewer))
        .thenRefused('REPORT.APPROVAL_NOT_REQUIRED', 'illegal_state');
    });

    it('refuses anyone but the reviewer unit: REPORT.NOT_REVIEWER', () => {
      spec.given([opened, submitted()]).when(cmd('ApproveReport', stranger)).thenRefused('REPORT.NOT_REVIEWER', 'forbidden');
    });

    it('refuses a report not submitted, a waived one, or a stale version', () => {
      spec.given([opened]).when(cmd('ApproveReport', reviewer)).thenRefused('REPORT.NOT_SUBMITTED');
      spec.given([opened, submitted(), returned]).when(cmd('ApproveReport', reviewer)).thenRefused('REPORT.NOT_SUBMITTED');
      spec.given([opened, waived]).when(cmd('ApproveReport', reviewer)).thenRefused('REPORT.WAIVED');
      spec
        .given([opened, submitted()])
        .when(cmd('ApproveReport', reviewer, { version: 2 }))
        .thenRefused('REPORT.VERSION_MISMATCH', 'conflict');
    });

    it('refuses a period with no obligation: REPORT.NOT_OPEN', () => {
      spec.given([]).when(cmd('ApproveReport', reviewer)).thenRefused('REPORT.NOT_OPEN');
    });
  });

  describe('CorrectReport', () => {
    const fixed: ReportValues = { ...values, t4: { kind: 'ratio', numerator: 870, denominator: 1000 } };

    it('records a correction after approval as a new version with its reason; the approved version stays', () => {
      spec
        .given([opened, submitted(), approved()])
        .when(cmd('CorrectReport', officer, { values: fixed, reason: 'Rà soát lại danh sách hội viên' }))
        .then([{ type: 'ReportCorrected', data: { version: 2, values: fixed, reason: 'Rà soát lại danh sách hội viên' } }]);
    });

    it('carries a new narrative when one is given', () => {
      spec
        .given([
          opened,
          submitted(),
          approved(),
          { type: 'ReportCorrected', data: { version: 2, values, reason: 'r' } },
          approved(2),
        ])
        .when(cmd('CorrectReport', officer, { values, narrative: { ...narrative, results: 'Cập nhật' }, reason: 'r2' }))
        .then([
          {
            type: 'ReportCorrected',
            data: { version: 3, values, narrative: { ...narrative, results: 'Cập nhật' }, reason: 'r2' },
          },
        ]);
    });

    it('corrects a submitted report when no approval is required', () => {
      spec
        .given([openedWithoutApproval, submitted()])
        .when(cmd('CorrectReport', officer, { values: fixed, reason: 'r' }))
        .then([{ type: 'ReportCorrected', data: { version: 2, values: fixed, reason: 'r' } }]);
    });

    it('refuses a correction before approval: REPORT.NOT_APPROVED', () => {
      spec
        .given([opened, submitted()])
        .when(cmd('CorrectReport', officer, { values, reason: 'r' }))
        .thenRefused('REPORT.NOT_APPROVED', 'illegal_state');
      spec
        .given([opened])
        .when(cmd('CorrectReport', officer, { values, reason: 'r' }))
        .thenRefused('REPORT.NOT_APPROVED');
      spec
        .given([opened, submitted(), returned])
        .when(cmd('CorrectReport', officer, { values, reason: 'r' }))
        .thenRefused('REPORT.NOT_APPROVED');
    });

    it('refuses a correction without a reason: REPORT.REASON_REQUIRED', () => {
      spec
        .given([opened, submitted(), approved()])
        .when(cmd('CorrectReport', officer, { values, reason: ' ' }))
        .thenRefused('REPORT.REASON_REQUIRED', 'validation', ['reason']);
    });

    it('refuses bad values or narrative: REPORT.INVALID', () => {
      spec
        .given([opened, submitted(), approved()])
        .when(
          cmd('CorrectReport', officer, { values: { ...values, t7: { kind: 'number', value: -1 } }, narrative: {}, reason: 'r' }),
        )
        .thenRefused('REPORT.INVALID', 'validation', ['values.t7.value', 'narrative.results']);
    });

    it('refuses another unit, a waived obligation, or none', () => {
      spec
        .given([opened, submitted(), approved()])
        .when(cmd('CorrectReport', reviewer, { values, reason: 'r' }))
        .thenRefused('REPORT.WRONG_UNIT', 'forbidden');
      spec
        .given([opened, waived])
        .when(cmd('CorrectReport', officer, { values, reason: 'r' }))
        .thenRefused('REPORT.WAIVED');
      spec
        .given([])
        .when(cmd('CorrectReport', officer, { values, reason: 'r' }))
        .thenRefused('REPORT.NOT_OPEN');
    });
  });

  describe('WaiveObligation', () => {
    it('waives an open obligation with the reviewer’s reason', () => {
      spec
        .given([opened])
        .when(cmd('WaiveObligation', reviewer, { reason: 'Đơn vị sáp nhập' }))
        .then([waived]);
    });

    it('resolves open escalations by waiver; a saga may waive too', () => {
      spec
        .given([opened, overdue, escalated(1, 'lao-cai')])
        .when(cmd('WaiveObligation', systemActor('unit-merged'), { reason: 'Đơn vị sáp nhập' }, AFTER_DUE))
        .then([waived, { type: 'EscalationResolved', data: { toUnitId: 'lao-cai', step: 1, by: 'waiver' } }]);
    });

    it('ignores waiving twice', () => {
      spec
        .given([opened, waived])
        .when(cmd('WaiveObligation', reviewer, { reason: 'again' }))
        .thenNothing();
    });

    it('refuses a waiver without a reason: REPORT.REASON_REQUIRED', () => {
      spec
        .given([opened])
        .when(cmd('WaiveObligation', reviewer, { reason: '' }))
        .thenRefused('REPORT.REASON_REQUIRED', 'validation');
    });

    it('refuses anyone but the reviewer unit: REPORT.NOT_REVIEWER', () => {
      spec
        .given([opened])
        .when(cmd('WaiveObligation', officer, { reason: 'r' }))
        .thenRefused('REPORT.NOT_REVIEWER', 'forbidden');
    });

    it('refuses a report already in: REPORT.ALREADY_SUBMITTED / REPORT.ALREADY_APPROVED', () => {
      spec
        .given([opened, submitted()])
        .when(cmd('WaiveObligation', reviewer, { reason: 'r' }))
        .thenRefused('REPORT.ALREADY_SUBMITTED');
      spec
        .given([opened, submitted(), approved()])
        .when(cmd('WaiveObligation', reviewer, { reason: 'r' }))
        .thenRefused('REPORT.ALREADY_APPROVED');
    });

    it('refuses a period with no obligation: REPORT.NOT_OPEN', () => {
      spec
        .given([])
        .when(cmd('WaiveObligation', reviewer, { reason: 'r' }))
        .thenRefused('REPORT.NOT_OPEN');
    });
  });

  describe('IssueReminder', () => {
    const remind = (step: number, daysBefore: number) => cmd('IssueReminder', timer, { step, daysBefore });

    it('issues a reminder step while the report is awaited', () => {
      spec
        .given([opened])
        .when(remind(0, 7))
        .then([{ type: 'ReminderIssued', data: { step: 0, daysBefore: 7 } }]);
      spec
        .given([opened, submitted(), returned])
        .when(remind(1, 3))
        .then([{ type: 'ReminderIssued', data: { step: 1, daysBefore: 3 } }]);
    });

    it('ignores a step already issued, a report already in, and an overdue report', () => {
      spec
        .given([opened, { type: 'ReminderIssued', data: { step: 0, daysBefore: 7 } }])
        .when(remind(0, 7))
        .thenNothing();
      spec.given([opened, submitted()]).when(remind(1, 3)).thenNothing();
      spec.given([opened, waived]).when(remind(1, 3)).thenNothing();
      spec.given([opened, overdue]).when(remind(2, 1)).thenNothing();
    });

    it('ignores a reminder that comes due after the deadline (the overdue mark says more)', () => {
      spec
        .given([opened])
        .when(cmd('IssueReminder', timer, { step: 1, daysBefore: 1 }, AFTER_DUE))
        .thenNothing();
    });

    it('refuses a malformed step: REPORT.INVALID', () => {
      spec.given([opened]).when(remind(-1, 1.5)).thenRefused('REPORT.INVALID', 'validation', ['step', 'daysBefore']);
    });

    it('refuses a period with no obligation: REPORT.NOT_OPEN', () => {
      spec.given([]).when(remind(0, 7)).thenRefused('REPORT.NOT_OPEN');
    });
  });

  describe('MarkOverdue', () => {
    const mark = (now = AFTER_DUE) => cmd('MarkOverdue', timer, {}, now);

    it('marks an awaited report overdue once the due time has passed', () => {
      spec.given([opened]).when(mark()).then([overdue]);
      spec.given([opened, submitted(), returned]).when(mark()).then([overdue]);
    });

    it('is a no-op when already overdue, submitted, approved or waived (timers may fire twice)', () => {
      spec.given([opened, overdue]).when(mark()).thenNothing();
      spec.given([opened, submitted()]).when(mark()).thenNothing();
      spec.given([opened, submitted(), approved()]).when(mark()).thenNothing();
      spec.given([opened, waived]).when(mark()).thenNothing();
    });

    it('refuses a timer that fires before the due time: REPORT.NOT_YET_DUE', () => {
      spec.given([opened]).when(mark(BEFORE_DUE)).thenRefused('REPORT.NOT_YET_DUE', 'illegal_state');
    });

    it('refuses a period with no obligation: REPORT.NOT_OPEN', () => {
      spec.given([]).when(mark()).thenRefused('REPORT.NOT_OPEN');
    });
  });

  describe('RaiseEscalation', () => {
    const raise = (step: number, toUnitId: string, now = AFTER_DUE) => cmd('RaiseEscalation', timer, { step, toUnitId }, now);

    it('raises an overdue report to the unit above', () => {
      spec
        .given([opened, overdue])
        .when(raise(1, 'lao-cai'))
        .then([escalated(1, 'lao-cai')]);
    });

    it('marks the report overdue first when that timer has not fired yet', () => {
      spec
        .given([opened])
        .when(raise(1, 'lao-cai'))
        .then([overdue, escalated(1, 'lao-cai')]);
    });

    it('raises the next step to the grandparent', () => {
      spec
        .given([opened, overdue, escalated(1, 'lao-cai')])
        .when(raise(2, 'vn'))
        .then([escalated(2, 'vn')]);
    });

    it('is a no-op for a step already raised, or a report already in', () => {
      spec
        .given([opened, overdue, escalated(1, 'lao-cai')])
        .when(raise(1, 'lao-cai'))
        .thenNothing();
      spec
        .given([opened, submitted(1, false, AFTER_DUE)])
        .when(raise(1, 'lao-cai'))
        .thenNothing();
      spec.given([opened, waived]).when(raise(1, 'lao-cai')).thenNothing();
    });

    it('refuses an escalation before the due time: REPORT.NOT_YET_DUE', () => {
      spec
        .given([opened])
        .when(raise(1, 'lao-cai', BEFORE_DUE))
        .thenRefused('REPORT.NOT_YET_DUE');
    });

    it('refuses a missing target unit: REPORT.INVALID', () => {
      spec.given([opened, overdue]).when(raise(1, '')).thenRefused('REPORT.INVALID', 'validation', ['toUnitId']);
    });

    it('refuses a period with no obligation: REPORT.NOT_OPEN', () => {
      spec.given([]).when(raise(1, 'lao-cai')).thenRefused('REPORT.NOT_OPEN');
    });
  });

  describe('state', () => {
    it('keeps the follow-up beside the review status', () => {
      const state = [opened, overdue, escalated(1, 'lao-cai'), submitted(1, false, AFTER_DUE)].reduce(
        reportDecider.evolve,
        reportDecider.initialState(),
      );
      expect(state).toMatchObject({
        status: 'submitted',
        version: 1,
        onTime: false,
        followUp: { overdue: true, escalationsRaised: [1], openEscalations: [{ toUnitId: 'lao-cai', step: 1 }] },
      });
      const resolved = reportDecider.evolve(state, {
        type: 'EscalationResolved',
        data: { toUnitId: 'lao-cai', step: 1, by: 'submission' },
      });
      expect(resolved).toMatchObject({ followUp: { openEscalations: [], escalationsRaised: [1] } });
    });
  });
});
