import { type FieldError, ValidationError } from '@app/kernel';
import { defined, JsonFields } from './json-fields';

export type ReminderKind = 'reminder' | 'overdue' | 'escalation' | 'digest';

/** What the engine publishes to `<prefix>.reminders`: everything an SMS or e-mail pipeline needs. */
export type ReminderMessage = {
  schema: 'vwu.reminder.v1';
  /** The id of the event that caused it (digest: a deterministic id); consumers deduplicate by it. */
  messageId: string;
  kind: ReminderKind;
  occurredAt: string; // ISO instant
  recipient: {
    unitId: string;
    unitName: string;
    officers: Array<{ userId: string; name?: string; role: string; department?: string }>;
  };
  /** The unit whose report it is about (absent for a digest). */
  subject?: { unitId: string; unitName: string };
  directive?: { directiveId: string; number: string; title: string };
  period?: string;
  due?: string; // ISO instant
  step?: number;
  daysBefore?: number;
  /** Digest only: counts over the recipient's subtree. */
  summary?: {
    dueSoon: number;
    overdue: number;
    escalated: number;
    items: Array<{
      directiveId: string;
      number: string;
      period: string;
      unitId: string;
      unitName: string;
      due: string;
      status: string;
    }>;
  };
  link: string; // URL of the report (or of the unit's dashboard for a digest)
};

export const REMINDER_SCHEMA = 'vwu.reminder.v1';
export const REMINDER_KINDS: readonly ReminderKind[] = ['reminder', 'overdue', 'escalation', 'digest'];

/** Kafka's default limit on a message is 1 MB; anything longer did not come from the engine. */
export const MAX_REMINDER_LENGTH = 1_000_000;
const ID = 200;
const NAME = 1_000;

export class MalformedReminderError extends ValidationError {
  constructor(message: string, fields: readonly FieldError[] = []) {
    super('REMINDER.MALFORMED', message, fields);
  }
}

/** Parses a message from the reminders topic; throws a MalformedReminderError naming every bad field. */
export const parseReminderMessage = (raw: string): ReminderMessage => {
  if (typeof raw !== 'string') throw new MalformedReminderError('a reminder message must be a string of JSON');
  if (raw.length > MAX_REMINDER_LENGTH) {
    throw new MalformedReminderError(`a reminder message must be at most ${MAX_REMINDER_LENGTH} characters, got ${raw.length}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new MalformedReminderError(`a reminder message must be JSON: ${(error as Error).message}`);
  }
  const problems: FieldError[] = [];
  const message = JsonFields.of(json, '', problems);
  const parsed = message && readReminder(message);
  if (!parsed || problems.length > 0) {
    const list = problems.map((p) => `${p.field} ${p.message}`).join('; ');
    throw new MalformedReminderError(`malformed reminder message: ${list}`, problems);
  }
  return parsed;
};

const readReminder = (m: JsonFields): ReminderMessage | undefined => {
  if (m.oneOf('schema', [REMINDER_SCHEMA]) === undefined) return undefined; // another schema: nothing else applies
  const kind = m.oneOf('kind', REMINDER_KINDS);
  const reminder = defined({
    schema: REMINDER_SCHEMA,
    messageId: m.text('messageId', ID),
    kind,
    occurredAt: m.instant('occurredAt'),
    recipient: m.object('recipient', (r) => ({
      unitId: r.text('unitId', ID),
      unitName: r.text('unitName', NAME),
      officers: r.list('officers', 1_000, (o) =>
        defined({
          userId: o.text('userId', ID),
          name: o.text('name', NAME, 'optional'),
          role: o.text('role', ID),
          department: o.text('department', NAME, 'optional'),
        }),
      ),
    })),
    subject: m.object('subject', (s) => ({ unitId: s.text('unitId', ID), unitName: s.text('unitName', NAME) }), 'optional'),
    directive: m.object(
      'directive',
      (d) => ({ directiveId: d.text('directiveId', ID), number: d.text('number', ID), title: d.text('title', NAME) }),
      'optional',
    ),
    period: m.text('period', ID, 'optional'),
    due: m.instant('due', 'optional'),
    step: m.count('step', 'optional'),
    daysBefore: m.count('daysBefore', 'optional'),
    summary: m.object('summary', readSummary, 'optional'),
    link: m.httpUrl('link', 2_048),
  });
  if (kind === 'digest' && !reminder.summary) m.problem('summary', 'is required when kind is digest');
  if (kind && kind !== 'digest' && !reminder.subject) m.problem('subject', `is required when kind is ${kind}`);
  // Every field was checked; with no problems recorded the casts below hold.
  return m.problems.length === 0 ? (reminder as ReminderMessage) : undefined;
};

const readSummary = (s: JsonFields) => ({
  dueSoon: s.count('dueSoon'),
  overdue: s.count('overdue'),
  escalated: s.count('escalated'),
  items: s.list('items', 10_000, (i) => ({
    directiveId: i.text('directiveId', ID),
    number: i.text('number', ID),
    period: i.text('period', ID),
    unitId: i.text('unitId', ID),
    unitName: i.text('unitName', NAME),
    due: i.instant('due'),
    status: i.text('status', ID),
  })),
});
