import { reportStreamId } from './report.streams';

describe('reportStreamId', () => {
  it('joins directive, unit and period under the report category', () => {
    expect(reportStreamId('d-1', 'bat-xat', '2026-H1')).toBe('report-d-1_bat-xat_2026-H1');
  });

  it('refuses a part that would blur the composite id', () => {
    expect(() => reportStreamId('d-1', 'bat_xat', '2026-H1')).toThrow(/contain no "_"/);
  });
});
