import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DomainError, ValidationError } from '@app/kernel';
import { directiveFileFormat, importDirectiveFile, MAX_DIRECTIVE_FILE_BYTES, parseDirectiveFile } from './directive-file';
import { directiveDecider } from './domain/directive.decider';
import { fieldsOf } from '@app/kernel/testing';

const examples = join(__dirname, '..', 'examples');
const laoCai = readFileSync(join(examples, 'lao-cai-11-CTr-BTV-2022.yaml'));
const traVinh = readFileSync(join(examples, 'tra-vinh-08-CTr-BCH-2020.json'));

const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('directive files', () => {
  describe('the Lào Cai action program 11/CTr-BTV (YAML)', () => {
    const { data, inheritTargetsFromBasis } = importDirectiveFile(laoCai, 'yaml', {
      directiveId: 'lc-11',
      issuerUnitId: 'lao-cai',
    });

    it('keeps the identity, in Vietnamese, with dates as written', () => {
      expect(data).toMatchObject({
        directiveId: 'lc-11',
        number: '11/CTr-BTV',
        kind: 'program',
        issuerUnitId: 'lao-cai',
        issuingBody: 'Ban Thường vụ',
        place: 'Lào Cai',
        documentDate: '2022-09-15',
        basisDirectiveId: null,
        period: { from: '2022-09-15', to: '2030-12-31' },
      });
      expect(data.title).toMatch(/^Chương trình hành động thực hiện Nghị quyết số 29-NQ\/TU/);
      expect(inheritTargetsFromBasis).toBe(false);
    });

    it('holds all eight numbered targets, each in the right shape', () => {
      const targets = data.targets ?? [];
      expect(targets).toHaveLength(12);
      expect(new Set(targets.map((t) => t.code.slice(0, 2)))).toEqual(new Set(['(1', '(2', '(3', '(4', '(5', '(6', '(7', '(8']));
      const byCode = new Map(targets.map((t) => [t.code, t]));
      expect(byCode.get('(1)')).toMatchObject({ shape: 'share_of_units', measuredAtLevel: 'all', value: 1, threshold: 1 });
      expect(byCode.get('(2)')).toMatchObject({ shape: 'count_with_floor', value: 2 });
      expect(byCode.get('(4)')).toMatchObject({
        shape: 'rate',
        value: 0.85,
        milestones: [
          { from: '2025-01-01', value: 0.85 },
          { from: '2026-01-01', value: 0.9 },
        ],
      });
      expect(byCode.get('(7)')).toMatchObject({ shape: 'count_with_floor', measuredAtLevel: 'commune', value: 1 });
      expect(byCode.get('(8)')).toMatchObject({
        shape: 'share_of_units',
        measuredAtLevel: 'branch',
        value: 0.75,
        milestones: [
          { from: '2025-01-01', value: 0.75 },
          { from: '2030-01-01', value: 1 },
        ],
      });
    });

    it('holds the tasks by level and the half-yearly reporting duty', () => {
      const levels = (data.tasks ?? []).reduce<Record<string, number>>(
        (n, t) => ({ ...n, [t.level ?? '-']: (n[t.level ?? '-'] ?? 0) + 1 }),
        {},
      );
      expect(levels).toEqual({ all: 6, province: 5, district: 3 });
      expect(data.tasks?.find((t) => t.taskId === 'lc-tinh-4')?.leadDepartment).toBe('Ban Tổ chức – tổng hợp');
      expect(data.schedule).toEqual({ cadence: 'half_yearly', approvalRequired: true });
    });

    it('is accepted by the directive decider as a draft', () => {
      const events = directiveDecider.decide(
        {
          type: 'DraftDirective',
          data,
          metadata: { commandId: 'c', actor: { userId: 'u', unitId: 'lao-cai' }, now: new Date(0) },
        },
        directiveDecider.initialState(),
      );
      expect(events.map((e) => e.type)).toEqual([
        'DirectiveDrafted',
        ...Array<string>(12).fill('TargetAdded'),
        ...Array<string>(14).fill('TaskAdded'),
        'ReportingScheduleSet',
      ]);
    });
  });

  describe('the Trà Vinh work program 08/CTr-BCH (JSON)', () => {
    const { data } = importDirectiveFile(traVinh, directiveFileFormat('tra-vinh-08-CTr-BCH-2020.json'), {
      directiveId: 'tv-08',
      issuerUnitId: 'tra-vinh',
    });

    it('keeps the identity and the targets', () => {
      expect(data).toMatchObject({
        number: '08/CTr-BCH',
        issuingBody: 'Ban Chấp hành',
        documentDate: '2020-02-12',
        place: 'Trà Vinh',
      });
      expect(data.targets).toHaveLength(6);
      expect(data.targets?.find((t) => t.code === 'II.2.1-a')).toMatchObject({
        shape: 'deliverable',
        measuredAtLevel: 'province',
      });
      expect(data.targets?.find((t) => t.code === 'II.2.3-a')).toMatchObject({ shape: 'rate', value: 0.5 });
      expect(data.tasks?.find((t) => t.due !== undefined)).toMatchObject({ due: '2020-10-20', level: 'province' });
      expect(data.schedule).toBeUndefined();
    });
  });

  describe('parsing', () => {
    it('tells the format from the file name', () => {
      expect(directiveFileFormat('plan.JSON')).toBe('json');
      expect(directiveFileFormat('plan.yml')).toBe('yaml');
      expect(directiveFileFormat('plan.yaml')).toBe('yaml');
      expect(refusal(() => directiveFileFormat('plan.docx')).code).toBe('DIRECTIVE_IMPORT.UNSUPPORTED_FORMAT');
    });

    it('refuses a file over 1 MiB before parsing it: DIRECTIVE_IMPORT.TOO_LARGE', () => {
      const big = `{"title": "${'x'.repeat(MAX_DIRECTIVE_FILE_BYTES)}"}`;
      expect(refusal(() => parseDirectiveFile(big, 'json')).code).toBe('DIRECTIVE_IMPORT.TOO_LARGE');
      expect(refusal(() => parseDirectiveFile(Buffer.from(big), 'yaml')).code).toBe('DIRECTIVE_IMPORT.TOO_LARGE');
      // 1 MiB counts bytes: Vietnamese letters take two or three each.
      const vietnamese = 'ệ'.repeat(MAX_DIRECTIVE_FILE_BYTES / 2);
      expect(refusal(() => parseDirectiveFile(JSON.stringify(vietnamese), 'json')).code).toBe('DIRECTIVE_IMPORT.TOO_LARGE');
    });

    it('refuses text that is not JSON, YAML or UTF-8: DIRECTIVE_IMPORT.UNPARSABLE', () => {
      expect(refusal(() => parseDirectiveFile('{"number": ', 'json')).code).toBe('DIRECTIVE_IMPORT.UNPARSABLE');
      expect(refusal(() => parseDirectiveFile('number: [1, 2', 'yaml')).code).toBe('DIRECTIVE_IMPORT.UNPARSABLE');
      expect(refusal(() => parseDirectiveFile('number: a\nnumber: b\n', 'yaml')).code).toBe('DIRECTIVE_IMPORT.UNPARSABLE');
      expect(refusal(() => parseDirectiveFile('a: 1\n---\nb: 2\n', 'yaml')).code).toBe('DIRECTIVE_IMPORT.UNPARSABLE');
      expect(refusal(() => parseDirectiveFile(Uint8Array.from([0x7b, 0xff, 0x7d]), 'json')).code).toBe(
        'DIRECTIVE_IMPORT.UNPARSABLE',
      );
    });

    it('refuses an alias expansion bomb', () => {
      const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 8; i++)
        lines.push(
          `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(96 + i)}`)
            .join(', ')}]`,
        );
      expect(refusal(() => parseDirectiveFile(lines.join('\n'), 'yaml')).code).toBe('DIRECTIVE_IMPORT.UNPARSABLE');
    });

    it('reads YAML dates as text and strips a byte-order mark', () => {
      expect(parseDirectiveFile('\uFEFFdocumentDate: 2022-09-15\n', 'yaml')).toEqual({ documentDate: '2022-09-15' });
      expect(parseDirectiveFile('\uFEFF{"a": 1}', 'json')).toEqual({ a: 1 });
    });

    it('names bad fields of a parsed file by their path', () => {
      const yaml = laoCai.toString('utf8').replace('      - from: 2026-01-01', '      - from: next year');
      const error = refusal(() => importDirectiveFile(yaml, 'yaml', { directiveId: 'x', issuerUnitId: 'lao-cai' }));
      expect(error.code).toBe('DIRECTIVE_IMPORT.INVALID');
      expect(fieldsOf(error)).toEqual(['targets[3].milestones[1].from']);
    });
  });
});
