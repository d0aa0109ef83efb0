import { isPeriodKey } from './period-key';

describe('period keys', () => {
  it.each(['2026', '2026-H1', '2026-H2', '2026-Q2', '2026-03', '2026-12', '2026-R1', '2026-R12'])('accepts %s', (key) => {
    expect(isPeriodKey(key)).toBe(true);
  });

  it.each(['26', '2026-H3', '2026-Q5', '2026-13', '2026-00', '2026-R0', 'H1-2026', '2026_H1', '', 2026])('refuses %p', (key) => {
    expect(isPeriodKey(key)).toBe(false);
  });
});
