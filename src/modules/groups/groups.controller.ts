import { Body, Controller, Delete, Get, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidParam } from 'src/common/validation/uuid-param';
import { CreateGroupDto, GroupDto, GroupListQueryDto, GroupMemberDto } from './groups.dto';
import { GROUP_MEMBERS_ORDERING, GROUPS_ORDERING, GroupsService } from './groups.service';

/** Support groups. Their messages use the chat endpoints: /api/v1/chats/{group id}/messages. */
@ApiTags('groups')
@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Support groups with member counts.' })
  @ApiOrdering(GROUPS_ORDERING)
  @ApiEnvelope(GroupDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: GroupListQueryDto): Promise<Paginated<GroupDto>> {
    return this.groups.list(user, query);
  }

  @Post()
  @Authenticated(Permission.GroupsCreate)
  @ApiOperation({ summary: 'Create a group (therapists and staff); you become its moderator.' })
  @ApiEnvelope(GroupDto, { status: HttpStatus.CREATED })
  create(@CurrentUser() user: Principal, @Body() dto: CreateGroupDto): Promise<GroupDto> {
    return this.groups.create(user, dto);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One group.' })
  @ApiEnvelope(GroupDto)
  @ApiError('GROUPS.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<GroupDto> {
    return this.groups.get(user, id);
  }

  @Post(':id/join')
  @Authenticated()
  @ApiOperation({ summary: 'Join a group.' })
  @ApiEnvelope(GroupDto)
  @ApiError('GROUPS.NOT_FOUND', 'GROUPS.ALREADY_MEMBER')
  join(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<GroupDto> {
    return this.groups.join(user, id);
  }

  @Post(':id/leave')
  @Authenticated()
  @ApiOperation({ summary: 'Leave a group.' })
  @ApiEnvelope(GroupDto)
  @ApiError('GROUPS.NOT_FOUND', 'GROUPS.NOT_MEMBER')
  leave(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<GroupDto> {
    return this.groups.leave(user, id);
  }

  @Get(':id/members')
  @Authenticated()
  @ApiOperation({ summary: 'Members of a group you belong to.' })
  @ApiOrdering(GROUP_MEMBERS_ORDERING)
  @ApiEnvelope(GroupMemberDto, { paginated: true })
  @ApiError('GROUPS.NOT_FOUND', 'CHAT.NOT_FOUND')
  members(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Query() query: PaginationQueryDto): Promise<Paginated<GroupMemberDto>> {
    return this.groups.members(user, id, query);
  }

  @Delete(':id/members/:userId')
  @Authenticated()
  @ApiOperation({ summary: 'Remove a member (moderators and staff).' })
  @ApiEnvelope('null')
  @ApiError('GROUPS.NOT_MODERATOR', 'GROUPS.NOT_FOUND', 'CHAT.NOT_FOUND', 'GROUPS.NOT_MEMBER')
  async removeMember(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('userId') userId: string): Promise<null> {
    await this.groups.removeMember(user, id, userId);
    return null;
  }
}
