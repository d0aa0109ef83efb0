import { IntersectionType } from '@nestjs/swagger';
import { PageQueryDto } from '../http/page-query.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { OBLIGATION_STATUSES, type ObligationStatus, OFFICIAL_STATUSES, type OfficialStatus } from '@app/reporting';
import { IsPeriodKey } from '../directives/directives.dto';
import { ID_PATTERN } from '../units/units.dto';

const ID = { message: '$property must be 1-64 characters of A-Z a-z 0-9 . -' };
export const INCLUDES = ['approved', 'submitted'] as const;

export class ReadQueryDto {
  @ApiPropertyOptional({ description: 'Wait (at most 2 s) until the read models have processed this global position' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

class NodeQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ example: 'LCI-BX', description: "The node of the tree; default: the caller's unit" })
  @IsOptional()
  @Matches(ID_PATTERN, ID)
  unitId?: string;

  @ApiProperty({ example: '2026-H1' })
  @IsPeriodKey()
  period!: string;

  @ApiPropertyOptional({
    enum: INCLUDES,
    default: 'approved',
    description:
      'Which values the figures count: approved ones only, or every report that is in (a returned one counts in neither)',
  })
  @IsOptional()
  @IsIn(INCLUDES)
  include?: (typeof INCLUDES)[number];
}

export class DirectiveStatusQueryDto extends NodeQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: "true: also each child node's status, by level" })
  @IsOptional()
  @IsIn(['true', 'false'])
  children?: 'true' | 'false';
}

export class AchievementQueryDto extends NodeQueryDto {
  @ApiPropertyOptional({ description: 'ISO instant at which labels are judged; default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}

export class ObligationsQueryDto extends IntersectionType(ReadQueryDto, PageQueryDto) {
  @ApiPropertyOptional({ example: 'lc-11' }) @IsOptional() @Matches(ID_PATTERN, ID) directiveId?: string;

  @ApiPropertyOptional({ example: 'LCI-BX', description: "The subtree's root; default: the caller's unit" })
  @IsOptional()
  @Matches(ID_PATTERN, ID)
  unitId?: string;

  @ApiPropertyOptional({ example: '2026-H1' }) @IsOptional() @IsPeriodKey() period?: string;

  @ApiPropertyOptional({ enum: OBLIGATION_STATUSES }) @IsOptional() @IsIn(OBLIGATION_STATUSES) status?: ObligationStatus;

  @ApiPropertyOptional({ enum: OFFICIAL_STATUSES })
  @IsOptional()
  @IsIn(OFFICIAL_STATUSES)
  officialStatus?: OfficialStatus;
}

export class EscalationsQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ example: 'LCI-BX', description: "The unit escalations are raised to; default: the caller's unit" })
  @IsOptional()
  @Matches(ID_PATTERN, ID)
  toUnitId?: string;

  @ApiPropertyOptional({ enum: ['open', 'all'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'all'])
  state?: 'open' | 'all';
}

export class DigestQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ default: 7, description: 'How many days ahead count as due soon (1-60)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  days?: number;
}
