import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsISO8601,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CADENCES,
  type Cadence,
  DIRECTIVE_KINDS,
  type DirectiveKind,
  ESCALATION_TARGETS,
  type EscalationTarget,
  MAX_COORDINATING,
  MAX_DIRECTIVE_FILE_BYTES,
  MAX_MILESTONES,
  MAX_TARGETS,
  MAX_TASKS,
} from '@app/directives';
import { TARGET_SHAPES, type TargetShape } from '@app/kernel';
import { isPeriodKey } from '@app/reporting';
import { DATE_PATTERN, ID_PATTERN } from '../units/units.dto';

export const ID_MESSAGE = '$property must be 1-64 characters of A-Z a-z 0-9 . - and start with a letter or digit';
export const DATE_MESSAGE = '$property must be a date written yyyy-mm-dd';
/** The longest free text a field holds (the deciders' limit too). */
export const MAX_TEXT = 10_000;
/** Names, numbers, codes, places, departments: short texts. */
const MAX_NAME = 300;
const MAX_LEVEL = 40;
/** Ids per issue: a national scope is about 100,000 units (the body limit of 1 MiB binds first). */
export const MAX_ASSIGNEES = 200_000;
const FINITE = { allowNaN: false, allowInfinity: false };

/**
 * May be left out, but not sent as null: class-validator's IsOptional lets null through, and the
 * services tell "absent" from "given" by `!== undefined`, so a null would reach them unchecked.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/** A reporting period key (`isPeriodKey`): 2026, 2026-H1, 2026-Q2, 2026-03, 2026-R1. */
export const IsPeriodKey = (): PropertyDecorator =>
  ValidateBy({
    name: 'isPeriodKey',
    validator: {
      validate: (value: unknown) => isPeriodKey(value),
      defaultMessage: () => '$property must be a period key such as 2026, 2026-H1, 2026-Q2, 2026-03 or 2026-R1',
    },
  });

export class DatePeriodDto {
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) from!: string;
  @ApiProperty({ example: '2030-12-31' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) to!: string;
}

export class MilestoneDto {
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) from!: string;
  @ApiProperty({ example: 0.9 }) @IsNumber(FINITE) value!: number;
}

/** A TargetDefinition. The rules by shape (value range, threshold, milestone order) are the decider's. */
export class TargetDto {
  @ApiProperty({ example: 'lc-4' }) @Matches(ID_PATTERN, { message: ID_MESSAGE }) targetId!: string;
  @ApiProperty({ example: '(4)', description: 'As numbered in the document' }) @IsString() @Length(1, MAX_NAME) code!: string;
  @ApiProperty() @IsString() @Length(1, MAX_TEXT) title!: string;
  @ApiProperty({ enum: TARGET_SHAPES }) @IsIn(TARGET_SHAPES) shape!: TargetShape;
  @ApiProperty({ example: 'commune', description: 'Level code at which units report the value; "all" for every level' })
  @IsString()
  @Length(1, MAX_LEVEL)
  measuredAtLevel!: string;
  @ApiPropertyOptional({ example: 'hội viên' }) @Optional() @IsString() @Length(1, MAX_NAME) unitOfMeasure?: string;
  @ApiProperty({ example: 0.85, description: 'Shares and rates are fractions: 0.85 is 85%' }) @IsNumber(FINITE) value!: number;
  @ApiPropertyOptional({ description: 'share_of_units only: the count a unit must reach (default 1)' })
  @Optional()
  @IsNumber(FINITE)
  threshold?: number;
  @ApiPropertyOptional({ type: [MilestoneDto], maxItems: MAX_MILESTONES })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_MILESTONES)
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  milestones?: MilestoneDto[];
}

export class TaskDto {
  @ApiProperty({ example: 'lc-huyen-1' }) @Matches(ID_PATTERN, { message: ID_MESSAGE }) taskId!: string;
  @ApiProperty() @IsString() @Length(1, MAX_TEXT) title!: string;
  @ApiPropertyOptional({ example: 'district' }) @Optional() @IsString() @Length(1, MAX_LEVEL) level?: string;
  @ApiPropertyOptional({ description: 'A lead unit or a lead department, not both' })
  @Optional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  leadUnitId?: string;
  @ApiPropertyOptional({ example: 'Ban Tổ chức' }) @Optional() @IsString() @Length(1, MAX_NAME) leadDepartment?: string;
  @ApiPropertyOptional({ type: [String], maxItems: MAX_COORDINATING, description: 'Unit ids or department names; default []' })
  @IsArray()
  @ArrayMaxSize(MAX_COORDINATING)
  @IsString({ each: true })
  @Length(1, MAX_NAME, { each: true })
  coordinating: string[] = [];
  @ApiPropertyOptional({ example: '2026-06-30' }) @Optional() @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) due?: string;
}

export class EscalationStepDto {
  @ApiProperty({ example: 2 }) @IsInt() @Min(0) @Max(366) afterWorkingDays!: number;
  @ApiProperty({ enum: ESCALATION_TARGETS }) @IsIn(ESCALATION_TARGETS) to!: EscalationTarget;
}

/** A ReportingScheduleInput: only the cadence is required; the rest takes the defaults (docs/directives.md). */
export class ScheduleDto {
  @ApiProperty({ enum: CADENCES }) @IsIn(CADENCES) cadence!: Cadence;
  @ApiPropertyOptional({ example: 14, minimum: 1, maximum: 28 }) @Optional() @IsInt() @Min(1) @Max(28) cutOffDay?: number;
  @ApiPropertyOptional({ example: 6, minimum: 0, maximum: 366 })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(366)
  dueOffsetDays?: number;
  @ApiPropertyOptional({ type: [Number], example: [7, 3, 1] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(366, { each: true })
  reminderOffsetsDays?: number[];
  @ApiPropertyOptional({ type: [EscalationStepDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => EscalationStepDto)
  escalationSteps?: EscalationStepDto[];
  @ApiPropertyOptional({ default: true }) @Optional() @IsBoolean() approvalRequired?: boolean;
}

/** DraftDirectiveData, plus whether to copy the basis directive's targets. */
export class DraftDirectiveDto {
  @ApiProperty({ example: 'lc-11' }) @Matches(ID_PATTERN, { message: ID_MESSAGE }) directiveId!: string;
  @ApiProperty({ example: '11/CTr-BTV' }) @IsString() @Length(1, MAX_NAME) number!: string;
  @ApiProperty({ enum: DIRECTIVE_KINDS }) @IsIn(DIRECTIVE_KINDS) kind!: DirectiveKind;
  @ApiProperty() @IsString() @Length(1, MAX_TEXT) title!: string;
  @ApiProperty({ example: 'LCI', description: 'The caller must act for this unit' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  issuerUnitId!: string;
  @ApiProperty({ example: 'Ban Thường vụ' }) @IsString() @Length(1, MAX_NAME) issuingBody!: string;
  @ApiPropertyOptional({ example: 'Lào Cai' }) @Optional() @IsString() @Length(1, MAX_NAME) place?: string;
  @ApiProperty({ example: '2022-09-15' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) documentDate!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The directive this one implements, or null' })
  @ValidateIf((_o, value) => value !== null)
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  basisDirectiveId!: string | null;
  @ApiProperty({ type: DatePeriodDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => DatePeriodDto)
  period!: DatePeriodDto;
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, MAX_TEXT) purpose?: string;
  @ApiPropertyOptional({ type: [TargetDto], maxItems: MAX_TARGETS })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGETS)
  @ValidateNested({ each: true })
  @Type(() => TargetDto)
  targets?: TargetDto[];
  @ApiPropertyOptional({ type: [TaskDto], maxItems: MAX_TASKS })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_TASKS)
  @ValidateNested({ each: true })
  @Type(() => TaskDto)
  tasks?: TaskDto[];
  @ApiPropertyOptional({ type: ScheduleDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule?: ScheduleDto;
  @ApiPropertyOptional({ description: "Copy the basis directive's targets (a target given here with the same id replaces it)" })
  @Optional()
  @IsBoolean()
  inheritBasisTargets?: boolean;
}

export class ImportDirectiveDto {
  @ApiProperty({ example: 'lc-11', description: 'The id the new directive gets' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  directiveId!: string;
  @ApiPropertyOptional({ example: 'LCI', description: "Defaults to the caller's unit; the file may name it too, and must agree" })
  @Optional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  issuerUnitId?: string;
  @ApiProperty({ enum: ['json', 'yaml'] }) @IsIn(['json', 'yaml']) format!: 'json' | 'yaml';
  @ApiProperty({ description: 'The file itself (at most 1 MiB; the whole request body is capped at 1 MiB too)' })
  @IsString()
  @Length(1, MAX_DIRECTIVE_FILE_BYTES)
  content!: string;
}

export class AssigneeScopeDto {
  @ApiProperty({ example: 'commune' }) @IsString() @Length(1, MAX_LEVEL) level!: string;
  @ApiProperty({ example: 'LCI' }) @Matches(ID_PATTERN, { message: ID_MESSAGE }) underUnitId!: string;
}

export class IssueDirectiveDto {
  @ApiProperty({ example: 'Hà Thị Khánh Nguyệt' }) @IsString() @Length(1, MAX_NAME) signedBy!: string;
  @ApiPropertyOptional({ type: [String], maxItems: MAX_ASSIGNEES, description: 'Either assigneeUnitIds or scope' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ASSIGNEES)
  @Matches(ID_PATTERN, { each: true, message: 'each of $property must be a unit id (1-64 characters of A-Z a-z 0-9 . -)' })
  assigneeUnitIds?: string[];
  @ApiPropertyOptional({ type: AssigneeScopeDto, description: 'Every active unit of a level under a unit, resolved now' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => AssigneeScopeDto)
  scope?: AssigneeScopeDto;
}

export class DirectiveChangesDto {
  @ApiPropertyOptional({ type: [TargetDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGETS)
  @ValidateNested({ each: true })
  @Type(() => TargetDto)
  targetsAdded?: TargetDto[];
  @ApiPropertyOptional({ type: [TargetDto], description: 'Each replaces the target with the same targetId' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGETS)
  @ValidateNested({ each: true })
  @Type(() => TargetDto)
  targetsReplaced?: TargetDto[];
  @ApiPropertyOptional({ type: [TaskDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_TASKS)
  @ValidateNested({ each: true })
  @Type(() => TaskDto)
  tasksAdded?: TaskDto[];
  @ApiPropertyOptional({ type: [TaskDto], description: 'Each replaces the task with the same taskId' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_TASKS)
  @ValidateNested({ each: true })
  @Type(() => TaskDto)
  tasksReplaced?: TaskDto[];
  @ApiPropertyOptional({ type: ScheduleDto, description: 'Fields left out keep their current values' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule?: ScheduleDto;
}

export class AmendDirectiveDto {
  @ApiProperty({ type: DirectiveChangesDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => DirectiveChangesDto)
  changes!: DirectiveChangesDto;
  @ApiProperty() @IsString() @Length(1, MAX_TEXT) reason!: string;
}

export class CloseDirectiveDto {
  @ApiPropertyOptional() @Optional() @IsString() @Length(1, MAX_TEXT) reason?: string;
}

export class OpenPeriodDto {
  @ApiProperty({ example: '2026-H1', description: 'A period key: 2026, 2026-H1, 2026-Q2, 2026-03 or 2026-R1' })
  @IsPeriodKey()
  period!: string;
  @ApiPropertyOptional({
    type: DatePeriodDto,
    description:
      "The data window the reports cover (dates, inclusive). Default: the schedule's window for the key (15th to 14th); required for R keys",
  })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => DatePeriodDto)
  window?: DatePeriodDto;
  @ApiPropertyOptional({
    example: '2026-06-20T23:59:59+07:00',
    description:
      "ISO instant with its offset. Default: the window's end plus the schedule's due offset, moved to a working day, end of that day",
  })
  @Optional()
  @IsString()
  @MaxLength(40)
  @IsISO8601({ strict: true })
  due?: string;
}

export class RecordImplementingDto {
  @ApiProperty({ example: 'lc-bx-11', description: "The assignee's own directive, drafted with this one as its basis" })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  childDirectiveId!: string;
}
