import type { RecordedEvent } from '@app/eventstore';

const text = (value: unknown, max = 80): string => {
  const s = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/** One line a person can read in an audit list; the full event stays in the stream. */
export const summarise = (event: RecordedEvent): string => {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'UnitRegistered':
      return `registered ${text(d.code)} "${text(d.name)}" (${text(d.level)}) under ${text(d.parentId ?? '—')}`;
    case 'UnitRenamed':
      return `renamed to "${text(d.name)}" from ${text(d.validFrom)}`;
    case 'UnitMoved':
      return `moved from ${text(d.fromParentId)} to ${text(d.toParentId)} from ${text(d.validFrom)}`;
    case 'UnitMerged':
      return `merged into ${text(d.intoUnitId)} from ${text(d.validFrom)}`;
    case 'OfficerAppointed':
      return `appointed ${text(d.userId)} as ${text(d.role)}`;
    case 'DirectiveDrafted':
      return `drafted ${text(d.number)} "${text(d.title, 60)}"`;
    case 'DirectiveIssued':
      return `issued, signed by ${text(d.signedBy, 60)}, to ${Array.isArray(d.assigneeUnitIds) ? d.assigneeUnitIds.length : 0} unit(s)`;
    case 'DirectiveAmended':
      return `amended: ${text(d.reason)}`;
    case 'ReportSubmitted':
      return `submitted version ${text(d.version)} with ${Object.keys((d.values as object) ?? {}).length} value(s), ${d.onTime ? 'on time' : 'late'}`;
    case 'ReportReturned':
      return `returned version ${text(d.version)}: ${text(d.reason)}`;
    case 'ReportApproved':
      return `approved version ${text(d.version)}`;
    case 'ReportCorrected':
      return `corrected to version ${text(d.version)}: ${text(d.reason)}`;
    case 'ObligationWaived':
      return `waived: ${text(d.reason)}`;
    case 'EscalationRaised':
      return `escalated to ${text(d.toUnitId)} (step ${text(d.step)})`;
    case 'EscalationResolved':
      return `escalation to ${text(d.toUnitId)} (step ${text(d.step)}) resolved by ${text(d.by)}`;
    case 'ReminderIssued':
      return `reminded (step ${text(d.step)}, ${text(d.daysBefore)} working day(s) before the due date)`;
    case 'ReportOverdue':
      return `overdue: nothing submitted by ${text(d.due)}`;
    case 'ReportingPeriodOpened':
      return `period ${text(d.period)} opened (${text(d.openedBy)}), due ${text(d.due)}`;
    default:
      return event.type;
  }
};
