import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ReqContext } from 'src/common/http/request-context';
import type { RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { AdminFriendsQueryDto, AdminUpdateUserDto, AdminUserDto, AdminUsersQueryDto, toAdminUserDto } from './admin.dto';
import { ADMIN_USERS_ORDERING, AdminUsersService } from './admin-users.service';

@ApiTags('admin')
@Controller('admin')
export class AdminController {
  constructor(private readonly admin: AdminUsersService) {}

  @Get('users')
  @Authenticated(Permission.UsersManage)
  @ApiOperation({
    summary: 'All accounts (managers and admins).',
    description: 'Filter by `role`, `status` (default: all but deleted), `is_verified`; `search` matches name, username and email.',
  })
  @ApiOrdering(ADMIN_USERS_ORDERING)
  @ApiEnvelope(AdminUserDto, { paginated: true })
  async list(@Query() query: AdminUsersQueryDto): Promise<Paginated<AdminUserDto>> {
    return (await this.admin.list(query)).map(toAdminUserDto);
  }

  @Patch('users/:id')
  @Authenticated(Permission.UsersManage)
  @ApiOperation({
    summary: 'Verify a provider, suspend or reactivate, change the role.',
    description: 'Changing roles and touching manager/admin accounts is for admins only. Suspending ends every session of the user.',
  })
  @ApiEnvelope(AdminUserDto)
  @ApiError('ADMIN.CHANGE_FORBIDDEN', 'COMMON.NOT_FOUND', 'USERS.LAST_ADMIN')
  async update(
    @CurrentUser() principal: Principal,
    @UuidParam() id: string,
    @Body() dto: AdminUpdateUserDto,
    @ReqContext() context: RequestContext,
  ): Promise<AdminUserDto> {
    return toAdminUserDto(await this.admin.update(principal, id, dto, context));
  }

  @Get('friends')
  @Authenticated(Permission.UsersManage)
  @ApiOperation({ summary: 'Friend accounts with their verification state (managers and admins).' })
  @ApiOrdering(ADMIN_USERS_ORDERING)
  @ApiEnvelope(AdminUserDto, { paginated: true })
  async friends(@Query() query: AdminFriendsQueryDto): Promise<Paginated<AdminUserDto>> {
    return (await this.admin.listFriends(query)).map(toAdminUserDto);
  }
}

/**
 * HumanLink's `GET /api/v1/users/`: the same staff list as `/api/v1/admin/users`, at the
 * path HumanLink clients call. Staff only; a client gets 403.
 */
@ApiTags('users')
@Controller('users')
export class UsersDirectoryController {
  constructor(private readonly admin: AdminUsersService) {}

  @Get()
  @Authenticated(Permission.UsersManage)
  @ApiOperation({
    summary: 'All accounts (managers and admins; HumanLink path, same as GET /api/v1/admin/users).',
    description: 'Filter by `role`, `status` (default: all but deleted), `is_verified`; `search` matches name, username and email.',
  })
  @ApiOrdering(ADMIN_USERS_ORDERING)
  @ApiEnvelope(AdminUserDto, { paginated: true })
  async list(@Query() query: AdminUsersQueryDto): Promise<Paginated<AdminUserDto>> {
    return (await this.admin.list(query)).map(toAdminUserDto);
  }
}
