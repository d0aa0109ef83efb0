import { nextScheduledPeriod, type PeriodTimerRow } from './period-timers.projection';

const row = (over: Partial<PeriodTimerRow> = {}): PeriodTimerRow => ({
  directive_id: 'd1',
  status: 'issued',
  cadence: 'quarterly',
  cut_off_day: 14,
  period_from: '2026-01-01',
  period_to: '2027-12-31',
  effective_from: '2026-05-20',
  last_nominal_to: null,
  next_period: null,
  open_at: null,
  claimed_until: 0,
  attempts: 0,
  ...over,
});

describe('the next scheduled period', () => {
  it('is the first period whose window has not ended when the directive was issued, opening at the window start', () => {
    // Issued 20/5/2026: Q2's window (15/3–14/6) is still open.
    expect(nextScheduledPeriod(row())).toEqual({
      key: '2026-Q2',
      window: { from: '2026-03-15', to: '2026-06-14' },
      openAt: Date.parse('2026-03-14T17:00:00.000Z'),
    });
  });

  it('follows the last period opened', () => {
    expect(nextScheduledPeriod(row({ last_nominal_to: '2026-06-30' }))?.key).toBe('2026-Q3');
  });

  it('applies an amended schedule after the last period opened and from the amendment on, never to past periods', () => {
    // Quarterly until Q2 was opened; amended to monthly on 20/8: July (window to 14/7) and August (to 14/8) are past.
    expect(
      nextScheduledPeriod(row({ cadence: 'monthly', last_nominal_to: '2026-06-30', effective_from: '2026-08-20' }))?.key,
    ).toBe('2026-09');
  });

  it('ends with the directive: nothing after its period, nothing for on-request or draft directives', () => {
    expect(nextScheduledPeriod(row({ last_nominal_to: '2027-12-31' }))).toBeNull();
    expect(nextScheduledPeriod(row({ cadence: 'on_request' }))).toBeNull();
    expect(nextScheduledPeriod(row({ status: 'draft' }))).toBeNull();
    expect(
      nextScheduledPeriod(
        row({ cadence: 'yearly', period_from: '2026-01-01', period_to: '2026-12-31', effective_from: '2026-12-20' }),
      ),
    ).toBeNull();
  });
});
