import { categoryOf } from '@app/eventstore';
import { unitStreamId } from './unit.streams';

describe('unitStreamId', () => {
  it('names the stream unit-<unitId>, in the unit category', () => {
    expect(unitStreamId('lci-bx-01')).toBe('unit-lci-bx-01');
    expect(categoryOf(unitStreamId('lci-bx-01'))).toBe('unit');
  });

  it('refuses an id that would break the stream naming rule', () => {
    expect(() => unitStreamId('')).toThrow();
    expect(() => unitStreamId('a_b')).toThrow();
  });
});
