import { QueryBoolean } from 'src/common/validation/query-boolean';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsIn, IsString, MaxLength } from 'class-validator';
import { Role } from 'src/common/access/permissions';
import { ApiDateTimeProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import type { User } from 'src/modules/users/user.entity';
import { toUserDto, UserDto } from 'src/modules/users/users.dto';
import { UserStatus } from 'src/modules/users/users.types';
import { Optional } from 'src/common/validation/presence';

const ROLES = Object.values(Role);
const STATUSES = Object.values(UserStatus);

/** A user as staff see them. */
export class AdminUserDto extends UserDto {
  @ApiDateTimeProperty({ nullable: true, description: 'Set while sign-in is locked after failed attempts.' })
  locked_until!: string | null;

  @ApiDateTimeProperty({ nullable: true })
  deleted_at!: string | null;
}

/** Object.assign rather than a spread, for the reason toUserDto gives. */
export function toAdminUserDto(user: User): AdminUserDto {
  return Object.assign(toUserDto(user), {
    locked_until: user.lockedUntil && user.lockedUntil.getTime() > Date.now() ? user.lockedUntil.toISOString() : null,
    deleted_at: user.deletedAt?.toISOString() ?? null,
  });
}

export class AdminFriendsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'Only verified (true) or unverified (false) accounts.' })
  @Optional()
  @QueryBoolean()
  @IsBoolean({ message: 'is_verified must be true or false' })
  is_verified?: boolean;

  @ApiPropertyOptional({ enum: STATUSES, description: 'Account status; by default every status but deleted.' })
  @Optional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  status?: UserStatus;
}

export class AdminUsersQueryDto extends AdminFriendsQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @Optional()
  @IsEnum(Role, { message: `role must be one of: ${ROLES.join(', ')}` })
  role?: Role;
}

/** What staff may change about an account. At least one of is_verified, status, role. */
export class AdminUpdateUserDto {
  @ApiProperty({ required: false, description: 'Verify (or un-verify) a therapist or friend.' })
  @Optional()
  @IsBoolean()
  is_verified?: boolean;

  @ApiProperty({ required: false, enum: [UserStatus.Active, UserStatus.Suspended], description: 'Suspend (ends every session) or reactivate.' })
  @Optional()
  @IsIn([UserStatus.Active, UserStatus.Suspended], { message: 'status must be active or suspended' })
  status?: UserStatus.Active | UserStatus.Suspended;

  @ApiProperty({ required: false, enum: ROLES, description: 'Admins only. Nobody can demote the last admin.' })
  @Optional()
  @IsEnum(Role, { message: `role must be one of: ${ROLES.join(', ')}` })
  role?: Role;

  @ApiProperty({ required: false, maxLength: 500, description: 'Why; kept in the audit log.' })
  @Optional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
