import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DATE_PATTERN } from './units.dto';

export const MAX_PAGE_SIZE = 500;

export class UnitTreeQueryDto {
  @ApiPropertyOptional({
    example: '2026-07-01',
    description: 'The date (yyyy-mm-dd) to read the tree at; today (Vietnam time) if left out',
  })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'at must be a date written yyyy-mm-dd' })
  at?: string;

  @ApiPropertyOptional({ description: 'Wait (at most 2 s) until the unit tree has processed this global position' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

export class UnitChildrenQueryDto extends UnitTreeQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Also list merged and dissolved children' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeInactive?: 'true' | 'false';
}
