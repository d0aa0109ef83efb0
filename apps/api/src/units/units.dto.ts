import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { OFFICER_ROLES, type OfficerRole } from '@app/org';

/** Unit ids and codes become stream ids: letters, digits, '.', '-'; no '_' (it joins composite ids). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;
const ID_MESSAGE = '$property must be 1-64 characters of A-Z a-z 0-9 . - and start with a letter or digit';
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_MESSAGE = '$property must be a date written yyyy-mm-dd';

export class RegisterUnitDto {
  @ApiPropertyOptional({ description: 'Defaults to the code', example: 'LCI-BX' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  unitId?: string;

  @ApiProperty({ example: 'LCI-BX' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  code!: string;

  @ApiProperty({ example: 'Hội LHPN huyện Bát Xát' })
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiProperty({ example: 'district', description: 'A level code: central, province, district, commune, branch, group' })
  @IsString()
  @Length(1, 40)
  level!: string;

  @ApiProperty({ nullable: true, example: 'LCI', description: 'null registers the root' })
  @ValidateIf((_o, value) => value !== null)
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  parentId!: string | null;

  @ApiProperty({ example: '2026-01-01' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  validFrom!: string;
}

export class RenameUnitDto {
  @ApiProperty() @IsString() @Length(1, 300) name!: string;
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) validFrom!: string;
}

export class MoveUnitDto {
  @ApiProperty() @Matches(ID_PATTERN, { message: ID_MESSAGE }) toParentId!: string;
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) validFrom!: string;
}

export class MergeUnitDto {
  @ApiProperty() @Matches(ID_PATTERN, { message: ID_MESSAGE }) intoUnitId!: string;
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) validFrom!: string;
}

export class DissolveUnitDto {
  @ApiProperty() @IsString() @Length(1, 2000) reason!: string;
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) validFrom!: string;
}

export class AppointOfficerDto {
  @ApiProperty({ example: 'chair.laocai' })
  @Matches(/^[A-Za-z0-9._@-]{1,128}$/, { message: '$property must be 1-128 characters of A-Z a-z 0-9 . _ @ -' })
  userId!: string;
  @ApiProperty({ enum: OFFICER_ROLES }) @IsIn(OFFICER_ROLES) role!: OfficerRole;
  @ApiPropertyOptional({ example: 'Ban Tuyên giáo' }) @IsOptional() @IsString() @Length(1, 200) department?: string;
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) validFrom!: string;
}

export class RelieveOfficerDto {
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) validFrom!: string;
}

export class ImportUnitsQueryDto {
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE_PATTERN, { message: DATE_MESSAGE }) validFrom!: string;
}
