import { Matches } from 'class-validator';
import { ID_PATTERN } from './units.dto';

export class UnitIdParam {
  @Matches(ID_PATTERN, { message: 'unitId in the path must be 1-64 characters of A-Z a-z 0-9 . -' })
  unitId!: string;
}

export class UnitOfficerParams extends UnitIdParam {
  @Matches(/^[A-Za-z0-9._@-]{1,128}$/, { message: 'userId in the path must be 1-128 characters of A-Z a-z 0-9 . _ @ -' })
  userId!: string;
}
