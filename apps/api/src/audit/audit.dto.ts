import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN } from '../units/units.dto';

const ID = { message: '$property must be 1-64 characters of A-Z a-z 0-9 . -' };

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID) directiveId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID) unitId?: string;
  @ApiPropertyOptional({ example: '2026-H1' })
  @IsOptional()
  @Matches(/^\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]|R\d{1,4}))?$/, {
    message: 'period must look like 2026, 2026-H1, 2026-Q2, 2026-03 or 2026-R1',
  })
  period?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9._@:-]{1,128}$/, { message: 'actorUser must be 1-128 characters of A-Z a-z 0-9 . _ @ : -' })
  actorUser?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID) actorUnit?: string;
  @ApiPropertyOptional({ example: 'ReportApproved' })
  @IsOptional()
  @Matches(/^[A-Za-z]{1,64}$/, { message: 'type must be an event type such as ReportApproved' })
  type?: string;
  @ApiPropertyOptional({ description: 'ISO instant; events that occurred at or after it' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ description: 'ISO instant; events that occurred before it' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional({ description: 'paging: rows after this position' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  afterPosition?: number;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) limit?: number;
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
  @ApiPropertyOptional({ description: 'wait (briefly) until the audit index has this global position' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}
