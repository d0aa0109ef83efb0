import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { MAX_NARRATIVE_LENGTH, type ReportValues } from '@app/reporting';
import { IsPeriodKey, MAX_TEXT, Optional } from '../directives/directives.dto';
import { ID_PATTERN } from '../units/units.dto';

/** More values than any directive has targets (200): a guard against huge maps, not a domain rule. */
export const MAX_VALUES = 500;

const VALUE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  number: ['kind', 'value'],
  ratio: ['kind', 'numerator', 'denominator'],
  done: ['kind', 'done', 'evidence'],
};
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The first structural problem of a `values` map, or undefined. Only the shape is checked here (an
 * object of at most 500 values, each a ReportedValue with no unknown field); whether each value
 * fits its target, and that every target has one, is the report decider's (`values.<targetId>…`).
 */
export const valuesShapeProblem = (values: unknown): string | undefined => {
  if (!isRecord(values)) return 'values must be an object keyed by target id';
  const entries = Object.entries(values);
  if (entries.length > MAX_VALUES) return `values must hold at most ${MAX_VALUES} entries`;
  for (const [targetId, value] of entries) {
    if (targetId.length === 0 || targetId.length > MAX_TEXT) return 'values must be keyed by target ids';
    const at = `values.${targetId}`;
    if (!isRecord(value)) return `${at} must be an object with a kind: number, ratio or done`;
    const kind = value.kind;
    const allowed = typeof kind === 'string' && Object.hasOwn(VALUE_FIELDS, kind) ? VALUE_FIELDS[kind] : undefined;
    if (!allowed) return `${at}.kind must be number, ratio or done`;
    const unknown = Object.keys(value).find((key) => !allowed.includes(key));
    if (unknown !== undefined) return `${at}.${unknown} is not a field of a "${String(kind)}" value`;
    if (value.evidence !== undefined && (typeof value.evidence !== 'string' || value.evidence.length > MAX_TEXT))
      return `${at}.evidence must be text of at most ${MAX_TEXT} characters`;
  }
  return undefined;
};

const IsReportValues = (): PropertyDecorator =>
  ValidateBy({
    name: 'isReportValues',
    validator: {
      validate: (value: unknown) => valuesShapeProblem(value) === undefined,
      defaultMessage: (args) => valuesShapeProblem(args?.value) ?? 'values are invalid',
    },
  });

const VALUES_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  maxProperties: MAX_VALUES,
  description: 'Keyed by targetId: one value for every target of the obligation, of the kind its shape takes',
  additionalProperties: {
    oneOf: [
      { type: 'object', required: ['kind', 'value'], properties: { kind: { enum: ['number'] }, value: { type: 'number' } } },
      {
        type: 'object',
        required: ['kind', 'numerator', 'denominator'],
        properties: { kind: { enum: ['ratio'] }, numerator: { type: 'number' }, denominator: { type: 'number' } },
      },
      {
        type: 'object',
        required: ['kind', 'done'],
        properties: { kind: { enum: ['done'] }, done: { type: 'boolean' }, evidence: { type: 'string' } },
      },
    ],
  },
  example: { 'lc-4': { kind: 'ratio', numerator: 850, denominator: 1000 }, 'lc-7': { kind: 'number', value: 2 } },
};

export class ReportParams {
  @ApiProperty({ example: 'lc-11' })
  @Matches(ID_PATTERN, { message: 'directiveId in the path must be 1-64 characters of A-Z a-z 0-9 . -' })
  directiveId!: string;
  @ApiProperty({ example: 'LCI-BX-01', description: 'The reporting unit' })
  @Matches(ID_PATTERN, { message: 'unitId in the path must be 1-64 characters of A-Z a-z 0-9 . -' })
  unitId!: string;
  @ApiProperty({ example: '2026-H1', description: 'A period key: 2026, 2026-H1, 2026-Q2, 2026-03 or 2026-R1' })
  @IsPeriodKey()
  period!: string;
}

/** kết quả / khó khăn, hạn chế / kiến nghị, đề xuất: each may be empty, none may be left out. */
export class NarrativeDto {
  @ApiProperty() @IsString() @MaxLength(MAX_NARRATIVE_LENGTH) results!: string;
  @ApiProperty() @IsString() @MaxLength(MAX_NARRATIVE_LENGTH) difficulties!: string;
  @ApiProperty() @IsString() @MaxLength(MAX_NARRATIVE_LENGTH) proposals!: string;
}

export class SubmitReportDto {
  @ApiProperty(VALUES_SCHEMA) @IsReportValues() values!: ReportValues;
  @ApiProperty({ type: NarrativeDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NarrativeDto)
  narrative!: NarrativeDto;
}

export class CorrectReportDto {
  @ApiProperty(VALUES_SCHEMA) @IsReportValues() values!: ReportValues;
  @ApiPropertyOptional({ type: NarrativeDto, description: 'Left out: the narrative stays as it was' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => NarrativeDto)
  narrative?: NarrativeDto;
  @ApiProperty() @IsString() @Length(1, MAX_TEXT) reason!: string;
}

const VERSION_DESCRIPTION = 'The version under review; refused with REPORT.VERSION_MISMATCH (409) when it is not the current one';

export class ReturnReportDto {
  @ApiProperty() @IsString() @Length(1, MAX_TEXT) reason!: string;
  @ApiPropertyOptional({ description: VERSION_DESCRIPTION }) @Optional() @IsInt() @Min(0) version?: number;
}

export class ApproveReportDto {
  @ApiPropertyOptional({ description: VERSION_DESCRIPTION }) @Optional() @IsInt() @Min(0) version?: number;
}

export class WaiveObligationDto {
  @ApiProperty() @IsString() @Length(1, MAX_TEXT) reason!: string;
}
