import type { RecordedEvent } from '@app/eventstore';
import type { OutboundMessage, ReminderKind, ReminderMessage } from '@app/messaging';
import { REMINDER_SCHEMA } from '@app/messaging';
import { remindersTopic } from './integration-message';

export type UnitLookup = Readonly<{
  unitId: string;
  name: string;
  officers: ReadonlyArray<Readonly<{ userId: string; role: string; department?: string }>>;
}>;

/** What a reminder message needs beyond its event; the worker answers from the store and the unit directory. */
export interface ReminderLookups {
  /** The obligation a report stream opened with: its directive, unit, period and due instant. */
  obligation(streamId: string): Promise<{ directiveId: string; unitId: string; period: string; due: string } | undefined>;
  directive(directiveId: string): Promise<{ number: string; title: string } | undefined>;
  unit(unitId: string): UnitLookup | undefined;
}

const KIND_OF: Readonly<Record<string, ReminderKind>> = {
  ReminderIssued: 'reminder',
  ReportOverdue: 'overdue',
  EscalationRaised: 'escalation',
};

export const isReminderEvent = (event: RecordedEvent): boolean => event.type in KIND_OF;

/**
 * The message for an SMS, Zalo or e-mail pipeline: who to tell (the reporting unit for a reminder
 * or an overdue mark, the unit an escalation is raised to), its officers, the directive, period,
 * due date and step, and a link to the report. Its id is the event's: consumers deduplicate by it.
 */
export const reminderMessageOf = async (
  event: RecordedEvent,
  lookups: ReminderLookups,
  options: Readonly<{ prefix: string; publicUrl: string }>,
): Promise<OutboundMessage | undefined> => {
  const kind = KIND_OF[event.type];
  if (!kind) return undefined;
  const obligation = await lookups.obligation(event.streamId);
  if (!obligation) return undefined;
  const data = event.data as { step?: number; daysBefore?: number; toUnitId?: string };
  const recipientId = kind === 'escalation' && data.toUnitId ? data.toUnitId : obligation.unitId;
  const recipient = lookups.unit(recipientId);
  const subject = lookups.unit(obligation.unitId);
  const directive = await lookups.directive(obligation.directiveId);
  const path = [obligation.directiveId, obligation.unitId, obligation.period].map(encodeURIComponent).join('/');
  const message: ReminderMessage = {
    schema: REMINDER_SCHEMA,
    messageId: event.id,
    kind,
    occurredAt: event.metadata.occurredAt,
    recipient: {
      unitId: recipientId,
      unitName: recipient?.name ?? recipientId,
      officers: (recipient?.officers ?? []).map((o) => ({
        userId: o.userId,
        role: o.role,
        ...(o.department !== undefined && { department: o.department }),
      })),
    },
    subject: { unitId: obligation.unitId, unitName: subject?.name ?? obligation.unitId },
    directive: {
      directiveId: obligation.directiveId,
      number: directive?.number ?? obligation.directiveId,
      title: directive?.title ?? '',
    },
    period: obligation.period,
    due: obligation.due,
    ...(data.step !== undefined && { step: data.step }),
    ...(data.daysBefore !== undefined && { daysBefore: data.daysBefore }),
    link: `${options.publicUrl}/app/#/reports/${path}`,
  };
  return {
    topic: remindersTopic(options.prefix),
    key: recipientId,
    value: JSON.stringify(message),
    headers: { 'event-id': event.id, 'event-type': event.type, 'message-kind': kind, 'schema-version': '1' },
  };
};
