import type { TargetDefinition } from '@app/kernel';
import { achievementLabel, elapsedShare, targetFigure, targetGoal } from './achievement';
import { officialStatus } from './obligation-status.projection';

const period = { windowFrom: '2026-01-01', due: '2026-07-01T00:00:00+07:00' };
const at = (iso: string) => ({ ...period, at: new Date(iso) });
const MIDWAY = '2026-04-01T12:00:00+07:00';

describe('achievement figures and labels', () => {
  it('computes each shape from additive parts', () => {
    expect(targetFigure('rate', { n: 2, num: 860, den: 1100 })).toBeCloseTo(0.7818, 4);
    expect(targetFigure('share_of_units', { n: 4, meet: 3 })).toBe(0.75);
    expect(targetFigure('count_with_floor', { n: 4, sum: 9, meet: 1 })).toBe(0.25);
    expect(targetFigure('absolute_total', { n: 3, sum: 640 })).toBe(640);
    expect(targetFigure('deliverable', { n: 2, done: 1 })).toBe(0.5);
    expect(targetFigure('rate', {})).toBeNull();
    expect(targetFigure('absolute_total', { n: 0 })).toBeNull();
  });

  it('compares with the target in force at the date, through its milestones', () => {
    const lc4: TargetDefinition = {
      targetId: 'lc-4',
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
    expect(targetGoal(lc4, '2025-12-14')).toBe(0.85);
    expect(targetGoal(lc4, '2026-06-14')).toBe(0.9);
    expect(targetGoal({ ...lc4, shape: 'count_with_floor', value: 2 }, '2026-06-14')).toBe(1);
  });

  it('labels a total against the goal pro rata before the due time, and achieved or missed after it', () => {
    expect(elapsedShare(at(MIDWAY))).toBeCloseTo(0.5, 2);
    expect(achievementLabel('absolute_total', 600, 1200, at(MIDWAY))).toBe('on-track');
    expect(achievementLabel('absolute_total', 500, 1200, at(MIDWAY))).toBe('at-risk');
    expect(achievementLabel('absolute_total', 1200, 1200, at('2026-07-01T00:00:00+07:00'))).toBe('achieved');
    expect(achievementLabel('absolute_total', 1199, 1200, at('2026-07-02T00:00:00+07:00'))).toBe('missed');
  });

  it('labels shares and rates against the full goal at any time, and a missing figure as at risk, then missed', () => {
    expect(achievementLabel('rate', 0.9, 0.9, at(MIDWAY))).toBe('on-track');
    expect(achievementLabel('rate', 0.5, 0.9, at('2026-01-02T00:00:00+07:00'))).toBe('at-risk');
    expect(achievementLabel('share_of_units', null, 0.5, at(MIDWAY))).toBe('at-risk');
    expect(achievementLabel('share_of_units', null, 0.5, at('2026-08-01T00:00:00Z'))).toBe('missed');
  });
});

describe('official statuses (Decision 42/2014/QĐ-TTg)', () => {
  const due = '2026-06-20T10:00:00.000Z';
  const before = new Date('2026-06-20T09:59:59Z');
  const after = new Date('2026-06-20T10:00:01Z');

  it('derives completed on time, completed late, in progress within the deadline and overdue', () => {
    expect(officialStatus({ status: 'submitted', on_time: 1, overdue: 0, due }, after)).toBe('completed_on_time');
    expect(officialStatus({ status: 'approved', on_time: 0, overdue: 1, due }, before)).toBe('completed_late');
    expect(officialStatus({ status: 'pending', on_time: null, overdue: 0, due }, before)).toBe('in_progress_within_deadline');
    expect(officialStatus({ status: 'pending', on_time: null, overdue: 0, due }, after)).toBe('overdue');
    expect(officialStatus({ status: 'returned', on_time: 1, overdue: 1, due }, before)).toBe('overdue');
    expect(officialStatus({ status: 'waived', on_time: null, overdue: 1, due }, after)).toBeNull();
  });
});
