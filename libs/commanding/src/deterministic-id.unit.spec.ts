import { deterministicEventId } from './deterministic-id';

describe('deterministicEventId', () => {
  it('gives the same UUID for the same command, stream and index, and another for any change', () => {
    const id = deterministicEventId('cmd-1', 'report-d1_u1_2026-03', 0);
    expect(deterministicEventId('cmd-1', 'report-d1_u1_2026-03', 0)).toBe(id);
    const others = [
      deterministicEventId('cmd-2', 'report-d1_u1_2026-03', 0),
      deterministicEventId('cmd-1', 'report-d1_u2_2026-03', 0),
      deterministicEventId('cmd-1', 'report-d1_u1_2026-03', 1),
    ];
    expect(new Set([id, ...others]).size).toBe(4);
  });

  it('has the version-5 UUID layout KurrentDB accepts', () => {
    expect(deterministicEventId('x', 'y', 3)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
