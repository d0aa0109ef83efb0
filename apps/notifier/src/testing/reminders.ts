import type { ReminderMessage } from '@app/messaging';

/** A well-formed reminder; override what a test is about. */
export const aReminder = (messageId: string, overrides: Partial<ReminderMessage> = {}): ReminderMessage => ({
  schema: 'vwu.reminder.v1',
  messageId,
  kind: 'reminder',
  occurredAt: '2026-03-24T01:00:00.000Z',
  recipient: {
    unitId: 'unit-hn',
    unitName: 'Hội LHPN Hà Nội',
    officers: [{ userId: 'u-1', name: 'Nguyễn Thị A', role: 'chair' }],
  },
  subject: { unitId: 'unit-hn', unitName: 'Hội LHPN Hà Nội' },
  directive: { directiveId: 'dir-1', number: '12/CT-TWH', title: 'Báo cáo quý I' },
  period: '2026-Q1',
  due: '2026-03-31T10:00:00.000Z',
  step: 1,
  daysBefore: 7,
  link: 'https://vwu.example/reports/dir-1/unit-hn/2026-Q1',
  ...overrides,
});
