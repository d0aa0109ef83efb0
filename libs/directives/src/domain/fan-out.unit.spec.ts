import { assignmentDecider } from './assignment.decider';
import { directiveDecider } from './directive.decider';
import type { DirectiveEvent } from './directive.events';
import { assignmentsFor } from './fan-out';

describe('assignmentsFor (fan-out of an issued directive)', () => {
  it('gives one DirectiveAssigned per assignee for 100,000 branches', () => {
    const units = Array.from({ length: 100_000 }, (_, i) => `branch-${i}`);
    const fanOut = assignmentsFor('d-national', 'central', units, '2026-03-02T03:00:00.000Z');

    expect(fanOut).toHaveLength(100_000);
    expect(new Set(fanOut.map((f) => f.unitId)).size).toBe(100_000);
    expect(fanOut[0]).toEqual({
      unitId: 'branch-0',
      event: {
        type: 'DirectiveAssigned',
        data: { directiveId: 'd-national', unitId: 'branch-0', issuerUnitId: 'central', assignedAt: '2026-03-02T03:00:00.000Z' },
      },
    });
    expect(fanOut[99_999].event.data.unitId).toBe('branch-99999');
    expect(fanOut[54_321].unitId).toBe(fanOut[54_321].event.data.unitId);
  });

  it('gives events the assignment decider folds into an assigned state', () => {
    const [{ event }] = assignmentsFor('d-1', 'lao-cai', ['bat-xat'], '2026-03-02T03:00:00.000Z');
    expect(assignmentDecider.evolve(assignmentDecider.initialState(), event)).toEqual({
      status: 'assigned',
      assignment: event.data,
    });
  });

  it('gives nothing for no assignees', () => {
    expect(assignmentsFor('d-1', 'lao-cai', [], '2026-03-02T03:00:00.000Z')).toEqual([]);
  });

  it('follows an issue to 100,000 branches checked against the unit tree', () => {
    const units = Array.from({ length: 100_000 }, (_, i) => `branch-${i}`);
    const ancestry = Object.fromEntries(units.map((u, i) => [u, [`commune-${i % 3_300}`, 'province-1', 'central']]));
    const drafted: DirectiveEvent = {
      type: 'DirectiveDrafted',
      data: {
        directiveId: 'd-national',
        number: '01/KH-ĐCT',
        kind: 'plan',
        title: 'Kế hoạch',
        issuerUnitId: 'central',
        issuingBody: 'Đoàn Chủ tịch',
        documentDate: '2026-01-05',
        basisDirectiveId: null,
        period: { from: '2026-01-01', to: '2026-12-31' },
      },
    };
    const [issued] = directiveDecider.decide(
      {
        type: 'IssueDirective',
        data: { directiveId: 'd-national', signedBy: 'Chủ tịch', assigneeUnitIds: units, assigneeAncestry: ancestry },
        metadata: { commandId: 'c', actor: { userId: 'u', unitId: 'central' }, now: new Date('2026-01-06T01:00:00Z') },
      },
      directiveDecider.evolve(directiveDecider.initialState(), drafted),
    );
    if (issued.type !== 'DirectiveIssued') throw new Error(`unexpected ${issued.type}`);
    const fanOut = assignmentsFor('d-national', 'central', issued.data.assigneeUnitIds, issued.data.issuedAt);
    expect(fanOut).toHaveLength(100_000);
    expect(fanOut[12_345].event.data).toEqual({
      directiveId: 'd-national',
      unitId: 'branch-12345',
      issuerUnitId: 'central',
      assignedAt: '2026-01-06T01:00:00.000Z',
    });
  });
});
