import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { ChatAccessService } from 'src/modules/chat/chat-access.service';
import { ChatMembershipService, GROUP_LIST_ORDERING, MEMBER_LIST_ORDERING } from 'src/modules/chat/chat-membership.service';
import { ConversationKind, ConversationStatus, ParticipantRole } from 'src/modules/chat/chat.types';
import { toUserSummary } from 'src/modules/chat/conversations.service';
import type { Conversation } from 'src/modules/chat/entities/conversation.entity';
import { DataSource, EntityManager } from 'typeorm';
import { CreateGroupDto, GroupDto, GroupListQueryDto, GroupMemberDto } from './groups.dto';

/** Sorting of the group list. */
export const GROUPS_ORDERING = GROUP_LIST_ORDERING;

/** Sorting of a group’s members. */
export const GROUP_MEMBERS_ORDERING = MEMBER_LIST_ORDERING;

/**
 * SafeTalk support groups: a conversation of kind `group` with members and moderators.
 * The rules are here; conversations and memberships are read and written through chat's
 * exported ChatMembershipService, in this service's transactions.
 */
@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly chat: ChatMembershipService,
    private readonly access: ChatAccessService,
    private readonly realtime: RealtimeServer,
  ) {}

  async list(principal: Principal, query: GroupListQueryDto): Promise<Paginated<GroupDto>> {
    const page = await this.chat.listGroups({ category: query.category }, query);
    return new Paginated(await this.toDtos(principal, page.items), page.count, page.page, page.pageSize);
  }

  async create(principal: Principal, dto: CreateGroupDto): Promise<GroupDto> {
    const group = await this.dataSource.transaction(async (manager) => {
      const group = await this.chat.createConversation(
        {
          kind: ConversationKind.Group,
          name: dto.name.trim(),
          description: dto.description?.trim() ?? null,
          category: dto.category ?? 'support',
          createdById: principal.userId,
          memberCount: 1,
        },
        manager,
      );
      await this.chat.addParticipant({ conversationId: group.id, userId: principal.userId, role: ParticipantRole.Moderator }, manager);
      return group;
    });
    await this.realtime.joinUserToChat(principal.userId, group.id);
    return (await this.toDtos(principal, [group]))[0];
  }

  async get(principal: Principal, groupId: string): Promise<GroupDto> {
    return (await this.toDtos(principal, [await this.groupOrThrow(groupId)]))[0];
  }

  /** Joins a group; the member count moves in the same transaction as the membership. */
  async join(principal: Principal, groupId: string): Promise<GroupDto> {
    await this.dataSource.transaction(async (manager) => {
      const group = await this.groupOrThrow(groupId, manager, true);
      const existing = await this.chat.membership(group.id, principal.userId, manager);
      if (existing && !existing.leftAt) throw new AppException('GROUPS.ALREADY_MEMBER', 'You are already a member of this group.');
      if (existing) {
        // Rejoining starts reading from now, not from the whole backlog.
        await this.chat.rejoin(group.id, principal.userId, ParticipantRole.Member, group.lastSeq, manager);
      } else {
        await this.chat.addParticipant(
          { conversationId: group.id, userId: principal.userId, role: ParticipantRole.Member, lastReadSeq: group.lastSeq, lastDeliveredSeq: group.lastSeq },
          manager,
        );
      }
      await this.chat.changeMemberCount(group.id, 1, manager);
    });
    await this.realtime.joinUserToChat(principal.userId, groupId);
    return this.get(principal, groupId);
  }

  async leave(principal: Principal, groupId: string): Promise<GroupDto> {
    await this.removeMembership(groupId, principal.userId);
    return this.get(principal, groupId);
  }

  async members(principal: Principal, groupId: string, query: PaginationQueryDto): Promise<Paginated<GroupMemberDto>> {
    await this.groupOrThrow(groupId);
    await this.access.access(principal, groupId);
    const page = await this.chat.listMembers(groupId, query);
    return page.map((p) => ({ ...toUserSummary(p.user), group_role: p.role, joined_at: p.joinedAt.toISOString() }));
  }

  async removeMember(principal: Principal, groupId: string, userId: string): Promise<void> {
    const access = await this.access.access(principal, groupId);
    if (access.conversation.kind !== ConversationKind.Group) throw new AppException('GROUPS.NOT_FOUND', 'Group not found.');
    if (!this.access.canModerate(principal, access)) throw new AppException('GROUPS.NOT_MODERATOR', 'Only moderators remove members.');
    await this.removeMembership(groupId, userId);
  }

  private async removeMembership(groupId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const group = await this.groupOrThrow(groupId, manager, true);
      const membership = await this.chat.membership(group.id, userId, manager);
      if (!membership || membership.leftAt) throw new AppException('GROUPS.NOT_MEMBER', 'Not a member of this group.');
      await this.chat.markLeft(group.id, userId, manager);
      await this.chat.changeMemberCount(group.id, -1, manager);
    });
    this.realtime.leaveUserFromChat(userId, groupId);
  }

  private async groupOrThrow(groupId: string, manager?: EntityManager, lock = false): Promise<Conversation> {
    const group = await this.chat.findConversation(groupId, ConversationKind.Group, { manager, lock });
    if (!group || group.status === ConversationStatus.Deleted) throw new AppException('GROUPS.NOT_FOUND', 'Group not found.');
    return group;
  }

  private async toDtos(principal: Principal, groups: Conversation[]): Promise<GroupDto[]> {
    const mine = await this.chat.membershipsOf(principal.userId, groups.map((g) => g.id));
    const membership = new Map(mine.filter((p) => !p.leftAt).map((p) => [p.conversationId, p]));
    return groups.map((g) => ({
      id: g.id,
      name: g.name ?? '',
      description: g.description,
      category: g.category,
      member_count: g.memberCount,
      is_member: membership.has(g.id),
      is_moderator: membership.get(g.id)?.role === ParticipantRole.Moderator,
      created_at: g.createdAt.toISOString(),
    }));
  }
}
