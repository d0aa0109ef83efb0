import { type DomainError, ValidationError } from '@app/kernel';
import { fieldsOf } from '@app/kernel/testing';
import { importDirective } from './directive-import';

const context = { directiveId: 'd-1', issuerUnitId: 'lao-cai' };

const valid = () => ({
  number: '11/CTr-BTV',
  kind: 'program',
  title: 'Chương trình hành động',
  issuingBody: 'Ban Thường vụ',
  documentDate: '2022-09-15',
  period: { from: '2022-09-15', to: '2030-12-31' },
  targets: [
    {
      targetId: 't4',
      code: '(4)',
      title: 'Tỷ lệ tập hợp hội viên',
      shape: 'rate',
      measuredAtLevel: 'commune',
      value: 0.85,
      milestones: [{ from: '2026-01-01', value: 0.9 }],
    },
  ],
  tasks: [{ taskId: 'k1', title: 'Xây dựng kế hoạch triển khai', level: 'district' }],
  schedule: { cadence: 'half_yearly' },
});

const refusal = (document: unknown, ctx: Parameters<typeof importDirective>[1] = context): DomainError => {
  try {
    importDirective(document, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as DomainError;
  }
  throw new Error('expected the import to be refused');
};

describe('importDirective', () => {
  it('turns a valid document into DraftDirective data, with ids from the context and defaults filled', () => {
    expect(importDirective(valid(), context)).toEqual({
      inheritTargetsFromBasis: false,
      data: {
        directiveId: 'd-1',
        number: '11/CTr-BTV',
        kind: 'program',
        title: 'Chương trình hành động',
        issuerUnitId: 'lao-cai',
        issuingBody: 'Ban Thường vụ',
        documentDate: '2022-09-15',
        basisDirectiveId: null,
        period: { from: '2022-09-15', to: '2030-12-31' },
        targets: valid().targets,
        tasks: [{ taskId: 'k1', title: 'Xây dựng kế hoạch triển khai', level: 'district', coordinating: [] }],
        schedule: { cadence: 'half_yearly' },
      },
    });
  });

  it('passes on a request to inherit the basis targets', () => {
    const imported = importDirective({ ...valid(), basisDirectiveId: 'd-0', inheritTargets: true }, context);
    expect(imported.inheritTargetsFromBasis).toBe(true);
    expect(imported.data.basisDirectiveId).toBe('d-0');
  });

  it('takes the issuer from the document when the context has none', () => {
    expect(importDirective({ ...valid(), issuerUnitId: 'lao-cai' }, { directiveId: 'd-1' }).data.issuerUnitId).toBe('lao-cai');
  });

  it('names every bad field by its path: DIRECTIVE_IMPORT.INVALID', () => {
    const document = {
      ...valid(),
      number: 11,
      kind: 'memo',
      documentDate: '15/9/2022',
      period: { from: '2022-09-15', to: '2021-01-01' },
      colour: 'red',
      targets: [
        ...valid().targets,
        { targetId: 't5', code: '(5)', title: 'x', shape: 'rate', measuredAtLevel: 'all', value: 1.5 },
        {
          targetId: 't6',
          code: '(6)',
          title: 'x',
          shape: 'share_of_units',
          measuredAtLevel: 'branch',
          value: 0.75,
          milestones: [{ from: 'soon', value: 1 }],
        },
        { targetId: 't7', code: '(7)', title: 'x', shape: 'rate', measuredAtLevel: 'all', value: '90%' },
        { targetId: 't4', code: '(8)', title: 'x', shape: 'count_with_floor', measuredAtLevel: 'all', value: 1, weight: 3 },
      ],
      tasks: [{ taskId: 'k1', title: 'ok', coordinating: 'Ban Tuyên giáo', due: '2020-06' }, 'k2'],
      schedule: { cadence: 'weekly', cutOffDay: '14', escalationSteps: [{ afterWorkingDays: 2, to: 'boss' }] },
    };
    const error = refusal(document);
    expect(error.code).toBe('DIRECTIVE_IMPORT.INVALID');
    expect(fieldsOf(error)).toEqual(
      expect.arrayContaining([
        'number',
        'kind',
        'documentDate',
        'period.to',
        'colour',
        'targets[1].value',
        'targets[2].milestones[0].from',
        'targets[3].value',
        'targets[4].targetId',
        'targets[4].weight',
        'tasks[0].coordinating',
        'tasks[0].due',
        'tasks[1]',
        'schedule.cadence',
        'schedule.cutOffDay',
        'schedule.escalationSteps[0].to',
      ]),
    );
    expect(fieldsOf(error).filter((f) => f === 'number')).toHaveLength(1);
    expect(error.details?.fields).toEqual(expect.arrayContaining([{ field: 'number', message: 'must be text' }]));
  });

  it('names missing required fields', () => {
    const error = refusal({ targets: [{ shape: 'rate', value: 0.5 }] }, { directiveId: 'd-1' });
    expect(fieldsOf(error)).toEqual(
      expect.arrayContaining([
        'number',
        'kind',
        'title',
        'issuerUnitId',
        'issuingBody',
        'documentDate',
        'period',
        'targets[0].targetId',
        'targets[0].code',
        'targets[0].title',
        'targets[0].measuredAtLevel',
      ]),
    );
  });

  it('refuses a document that is not an object', () => {
    expect(fieldsOf(refusal([1, 2]))).toEqual(['(document)']);
    expect(fieldsOf(refusal(null))).toEqual(['(document)']);
  });

  it('refuses an issuer that differs from the importing unit', () => {
    expect(fieldsOf(refusal({ ...valid(), issuerUnitId: 'ha-noi' }))).toEqual(['issuerUnitId']);
  });

  it('refuses inheriting targets without a basis', () => {
    expect(fieldsOf(refusal({ ...valid(), inheritTargets: true }))).toEqual(['inheritTargets']);
  });

  it('caps targets at 200, tasks at 500 and any text at 10,000 characters', () => {
    const target = valid().targets[0];
    const targets = Array.from({ length: 201 }, (_, i) => ({ ...target, targetId: `t${i}`, code: `(${i})` }));
    const tasks = Array.from({ length: 501 }, (_, i) => ({ taskId: `k${i}`, title: 'x' }));
    const error = refusal({ ...valid(), targets, tasks, purpose: 'x'.repeat(10_001), title: 'y'.repeat(10_000) });
    expect(fieldsOf(error).sort()).toEqual(['purpose', 'targets', 'tasks']);
    expect(error.details?.fields).toEqual(
      expect.arrayContaining([
        { field: 'targets', message: 'must hold at most 200 items' },
        { field: 'tasks', message: 'must hold at most 500 items' },
      ]),
    );
    expect(importDirective({ ...valid(), targets: targets.slice(0, 200) }, context).data.targets).toHaveLength(200);
  });

  it('caps text inside lists too', () => {
    const error = refusal({ ...valid(), tasks: [{ taskId: 'k1', title: 'x', coordinating: ['ok', 'z'.repeat(10_001)] }] });
    expect(fieldsOf(error)).toEqual(['tasks[0].coordinating[1]']);
  });
});
