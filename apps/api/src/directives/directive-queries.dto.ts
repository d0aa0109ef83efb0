import { IntersectionType } from '@nestjs/swagger';
import { PageQueryDto } from '../http/page-query.dto';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { ASSIGNMENT_STATUSES, type AssignmentStatus } from '@app/directives';
import { ID_PATTERN } from '../units/units.dto';

export class DirectiveQueryDto {
  @ApiPropertyOptional({ description: 'Wait (at most 2 s) until the directive status has processed this global position' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

export class AssignmentsQueryDto extends IntersectionType(DirectiveQueryDto, PageQueryDto) {
  @ApiPropertyOptional({ enum: ASSIGNMENT_STATUSES, description: 'assigned = not acknowledged yet' })
  @IsOptional()
  @IsIn(ASSIGNMENT_STATUSES)
  status?: AssignmentStatus;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: only assignees with no implementing directive recorded (cancelled ones left out unless status says so)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  notImplemented?: 'true' | 'false';

  @ApiPropertyOptional({ example: 'LCI-BX', description: "Only assignees in this unit's subtree" })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'under must be 1-64 characters of A-Z a-z 0-9 . -' })
  under?: string;
}
