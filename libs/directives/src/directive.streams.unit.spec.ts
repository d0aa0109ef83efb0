import { assignmentStreamId, directiveStreamId } from './directive.streams';

describe('directive stream ids', () => {
  it('names the directive and assignment streams', () => {
    expect(directiveStreamId('d-1')).toBe('directive-d-1');
    expect(assignmentStreamId('d-1', 'bat-xat')).toBe('assignment-d-1_bat-xat');
  });

  it('refuses an id part that would blur the composite id', () => {
    expect(() => assignmentStreamId('d_1', 'bat-xat')).toThrow(/contain no "_"/);
  });
});
