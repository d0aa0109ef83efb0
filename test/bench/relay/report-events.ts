/**
 * Report submissions as the command path writes them (a monthly report on the nine targets of the
 * Lào Cai programme, with its narrative), appended straight to a SQLite store for the relay to read.
 */
import { createHash } from 'node:crypto';
import type { AppendRequest, SqliteEventStore } from '@app/eventstore';

const uuidOf = (text: string): string => {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const submission = (i: number) => ({
  version: 1,
  values: {
    'lc-1': { kind: 'number', value: 1 + (i % 4) },
    'lc-2': { kind: 'number', value: 2 + (i % 3) },
    'lc-3': { kind: 'ratio', numerator: 15 + (i % 6), denominator: 20 },
    'lc-4': { kind: 'ratio', numerator: 800 + (i % 150), denominator: 1000 },
    'lc-4b': { kind: 'number', value: i % 2 },
    'lc-5': { kind: 'ratio', numerator: 80 + (i % 20), denominator: 100 },
    'lc-5b': { kind: 'ratio', numerator: 40 + (i % 10), denominator: 50 },
    'lc-6': { kind: 'number', value: 1 },
    'lc-7': { kind: 'number', value: i % 3 },
  },
  narrative: {
    results:
      'Tổ chức 3 buổi sinh hoạt chuyên đề về phòng, chống bạo lực gia đình và xây dựng gia đình 5 không 3 sạch, thu hút 126 lượt hội viên tham gia; vận động 4 hộ nghèo vay vốn ưu đãi.',
    difficulties: 'Địa bàn rộng, hội viên đi làm ăn xa; kinh phí hoạt động còn hạn chế.',
    proposals: 'Đề nghị Hội cấp trên hỗ trợ tài liệu tuyên truyền song ngữ và tập huấn kỹ năng cho chi hội trưởng.',
  },
  submittedAt: '2026-04-10T03:15:00.000Z',
  onTime: true,
});

/** Appends `count` ReportSubmitted events, one per report stream, in batches; returns the head. */
export const appendReportSubmissions = async (store: SqliteEventStore, count: number): Promise<number> => {
  for (let from = 0; from < count; from += 1000) {
    const requests: AppendRequest[] = [];
    for (let i = from; i < Math.min(count, from + 1000); i++) {
      const unitId = `LCI-${String(Math.floor(i / 30) % 1000).padStart(3, '0')}-${String(i % 30).padStart(2, '0')}`;
      const streamId = `report-lc-11-2022_${unitId}_2026-${String(1 + (Math.floor(i / 30000) % 12)).padStart(2, '0')}`;
      const commandId = uuidOf(`submit:${i}`);
      const id = uuidOf(`event:${i}`);
      requests.push({
        streamId,
        expectedRevision: 'any',
        events: [
          {
            id,
            type: 'ReportSubmitted',
            data: submission(i),
            metadata: {
              eventId: id,
              actor: { userId: `officer.${unitId}`, unitId },
              occurredAt: '2026-04-10T03:15:00.000Z',
              correlationId: commandId,
              causationId: commandId,
              schemaVersion: 1,
              commandId,
            },
          },
        ],
      });
    }
    await store.appendToStreams(requests);
  }
  return store.headPosition();
};
