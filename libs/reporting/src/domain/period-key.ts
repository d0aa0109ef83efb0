/**
 * Reporting period keys: `2026` (year), `2026-H1`/`2026-H2` (half), `2026-Q1`…`2026-Q4` (quarter),
 * `2026-01`…`2026-12` (month), `2026-R1`, `2026-R2`, … (ad-hoc requests of the year, in order).
 * Keys of one kind sort in time order as plain strings.
 */
const PERIOD_KEY = /^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]|R[1-9]\d{0,3}))?$/;

export const isPeriodKey = (value: unknown): value is string => typeof value === 'string' && PERIOD_KEY.test(value);
