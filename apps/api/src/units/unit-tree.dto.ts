import { IntersectionType } from '@nestjs/swagger';
import { PageQueryDto } from '../http/page-query.dto';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { DATE_PATTERN } from './units.dto';

export { MAX_PAGE_SIZE } from '../http/page-query.dto';

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

export class UnitChildrenQueryDto extends IntersectionType(UnitTreeQueryDto, PageQueryDto) {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Also list merged and dissolved children' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeInactive?: 'true' | 'false';
}
