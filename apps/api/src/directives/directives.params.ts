import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ID_PATTERN } from '../units/units.dto';

export class DirectiveIdParam {
  @ApiProperty({ example: 'lc-11' })
  @Matches(ID_PATTERN, { message: 'directiveId in the path must be 1-64 characters of A-Z a-z 0-9 . -' })
  directiveId!: string;
}

export class AssignmentParams extends DirectiveIdParam {
  @ApiProperty({ example: 'LCI-BX-01', description: 'The assignee unit' })
  @Matches(ID_PATTERN, { message: 'unitId in the path must be 1-64 characters of A-Z a-z 0-9 . -' })
  unitId!: string;
}
