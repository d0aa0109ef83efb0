import { ValidationError } from '@app/kernel';
import { MAX_REMINDER_LENGTH, MalformedReminderError, parseReminderMessage, type ReminderMessage } from './reminder-message';

const reminder: ReminderMessage = {
  schema: 'vwu.reminder.v1',
  messageId: 'evt-0001',
  kind: 'reminder',
  occurredAt: '2026-03-24T01:00:00.000Z',
  recipient: {
    unitId: 'unit-hn',
    unitName: 'Hội LHPN Hà Nội',
    officers: [
      { userId: 'u-1', name: 'Nguyễn Thị A', role: 'chair', department: 'Văn phòng' },
      { userId: 'u-2', role: 'officer' },
    ],
  },
  subject: { unitId: 'unit-hn', unitName: 'Hội LHPN Hà Nội' },
  directive: { directiveId: 'dir-1', number: '12/CT-TWH', title: 'Báo cáo quý' },
  period: '2026-Q1',
  due: '2026-03-31T17:00:00+07:00',
  step: 1,
  daysBefore: 7,
  link: 'https://vwu.example/reports/dir-1/unit-hn/2026-Q1',
};

const digest: ReminderMessage = {
  schema: 'vwu.reminder.v1',
  messageId: 'digest:unit-tw:2026-03-24',
  kind: 'digest',
  occurredAt: '2026-03-24T01:00:00Z',
  recipient: { unitId: 'unit-tw', unitName: 'Trung ương Hội', officers: [] },
  summary: {
    dueSoon: 1,
    overdue: 0,
    escalated: 0,
    items: [
      {
        directiveId: 'dir-1',
        number: '12/CT-TWH',
        period: '2026-Q1',
        unitId: 'unit-hn',
        unitName: 'Hội LHPN Hà Nội',
        due: '2026-03-31T10:00:00Z',
        status: 'due-soon',
      },
    ],
  },
  link: 'https://vwu.example/units/unit-tw',
};

const raw = (value: unknown): string => JSON.stringify(value);
const problemsOf = (input: string): string[] => {
  try {
    parseReminderMessage(input);
  } catch (error) {
    if (error instanceof MalformedReminderError) return error.fields.map((f) => `${f.field}: ${f.message}`);
    throw error;
  }
  throw new Error('expected the message to be rejected');
};

describe('parseReminderMessage', () => {
  it('returns a well-formed reminder and digest unchanged', () => {
    expect(parseReminderMessage(raw(reminder))).toEqual(reminder);
    expect(parseReminderMessage(raw(digest))).toEqual(digest);
  });

  it('keeps absent optional fields absent and drops fields it does not know', () => {
    const { directive: _d, period: _p, due: _due, step: _s, daysBefore: _b, ...minimal } = reminder;
    const parsed = parseReminderMessage(raw({ ...minimal, futureField: { x: 1 } }));
    expect(parsed).toEqual(minimal);
    expect(Object.keys(parsed)).not.toContain('due');
    expect(Object.keys(parsed)).not.toContain('futureField');
  });

  it('rejects what is not JSON, or not a JSON object', () => {
    expect(() => parseReminderMessage('{"schema":')).toThrow(/must be JSON/);
    expect(() => parseReminderMessage('')).toThrow(MalformedReminderError);
    expect(problemsOf('[]')).toEqual(['(message): must be a JSON object']);
    expect(problemsOf('null')).toEqual(['(message): must be a JSON object']);
    expect(problemsOf('"text"')).toEqual(['(message): must be a JSON object']);
  });

  it('is a validation error with a stable code', () => {
    let caught: unknown;
    try {
      parseReminderMessage('{}');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toMatchObject({ kind: 'validation', code: 'REMINDER.MALFORMED' });
  });

  it('rejects another schema without judging the rest', () => {
    expect(problemsOf(raw({ ...reminder, schema: 'vwu.reminder.v2', kind: 'gossip' }))).toEqual([
      'schema: must be one of vwu.reminder.v1',
    ]);
  });

  it('names every bad field, nested ones with their path', () => {
    const bad = {
      ...reminder,
      messageId: '',
      kind: 'nag',
      occurredAt: '24/03/2026',
      recipient: { unitId: 7, officers: [{ userId: 'u-1', role: 'chair' }, 'u-2', { userId: 'u-3' }] },
      due: '2026-02-30T00:00:00',
      step: -1,
      daysBefore: 1.5,
      link: 'javascript:alert(1)',
    };
    expect(problemsOf(raw(bad))).toEqual([
      'kind: must be one of reminder, overdue, escalation, digest',
      'messageId: must be a non-empty string',
      'occurredAt: must be an ISO 8601 instant such as 2026-03-31T17:00:00Z',
      'recipient.unitId: must be a non-empty string',
      'recipient.unitName: must be a non-empty string',
      'recipient.officers[1]: must be a JSON object',
      'recipient.officers[2].role: must be a non-empty string',
      'due: must be an ISO 8601 instant such as 2026-03-31T17:00:00Z',
      'step: must be a whole number, zero or more',
      'daysBefore: must be a whole number, zero or more',
      'link: must be an http(s) URL',
    ]);
  });

  it('rejects wrong types where objects, arrays and numbers belong', () => {
    const bad = {
      ...digest,
      recipient: { unitId: 'unit-tw', unitName: 'TW', officers: { 0: { userId: 'u', role: 'r' } } },
      summary: { dueSoon: '1', overdue: null, escalated: 0, items: [{ ...digest.summary!.items[0], due: 1711846800000 }] },
      link: ['https://vwu.example'],
    };
    expect(problemsOf(raw(bad))).toEqual([
      'recipient.officers: must be an array',
      'summary.dueSoon: must be a whole number, zero or more',
      'summary.overdue: must be a whole number, zero or more',
      'summary.items[0].due: must be an ISO 8601 instant such as 2026-03-31T17:00:00Z',
      'link: must be a non-empty string',
    ]);
  });

  it('requires a subject for a report reminder and a summary for a digest', () => {
    const { subject: _subject, ...noSubject } = reminder;
    expect(problemsOf(raw({ ...noSubject, kind: 'overdue' }))).toEqual(['subject: is required when kind is overdue']);
    const { summary: _summary, ...noSummary } = digest;
    expect(problemsOf(raw(noSummary))).toEqual(['summary: is required when kind is digest']);
  });

  describe('hostile input', () => {
    it('refuses a message longer than the limit before parsing it', () => {
      const huge = raw({ ...reminder, padding: 'x'.repeat(MAX_REMINDER_LENGTH) });
      expect(() => parseReminderMessage(huge)).toThrow(`at most ${MAX_REMINDER_LENGTH} characters`);
    });

    it('refuses huge strings and lists inside the limit', () => {
      const officers = Array.from({ length: 1_001 }, (_, i) => ({ userId: `u-${i}`, role: 'officer' }));
      const bad = {
        ...reminder,
        messageId: 'x'.repeat(201),
        recipient: { ...reminder.recipient, unitName: 'n'.repeat(50_000), officers },
      };
      expect(problemsOf(raw(bad))).toEqual([
        'messageId: must be at most 200 characters',
        'recipient.unitName: must be at most 1000 characters',
        'recipient.officers: must have at most 1000 items',
      ]);
    });

    it('neither pollutes prototypes nor takes inherited or prototype keys for fields', () => {
      const hostile =
        '{"__proto__":{"polluted":true,"messageId":"from-proto"},"constructor":{"prototype":{"polluted":true}},' +
        raw(reminder).slice(1).replace('"messageId":"evt-0001",', '');
      expect(problemsOf(hostile)).toEqual(['messageId: must be a non-empty string']);

      const withProto = `{"__proto__":{"polluted":true},${raw(reminder).slice(1)}`;
      const parsed = parseReminderMessage(withProto);
      expect(parsed).toEqual(reminder);
      expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((parsed as unknown as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('does not read a field named like an Object.prototype member from the prototype', () => {
      const { recipient } = reminder;
      const officer = { userId: 'u-1', role: 'chair', toString: 'x', hasOwnProperty: 1 };
      const parsed = parseReminderMessage(raw({ ...reminder, recipient: { ...recipient, officers: [officer] } }));
      expect(parsed.recipient.officers).toEqual([{ userId: 'u-1', role: 'chair' }]);
    });

    it('rejects a number beyond the safe integers and a non-string input', () => {
      expect(problemsOf(raw(reminder).replace('"step":1', '"step":1e400'))).toEqual([
        'step: must be a whole number, zero or more',
      ]);
      expect(() => parseReminderMessage(undefined as unknown as string)).toThrow('must be a string of JSON');
    });
  });
});
