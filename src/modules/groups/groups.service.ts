import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { ChatAccessService } from 'src/modules/chat/chat-access.service';
import { toUserSummary } from 'src/modules/chat/conversations.service';
import { Conversation, ConversationKind, ConversationStatus } from 'src/modules/chat/entities/conversation.entity';
import { ConversationParticipant, ParticipantRole } from 'src/modules/chat/entities/participant.entity';
import { User } from 'src/modules/users/user.entity';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { CreateGroupDto, GroupDto, GroupListQueryDto, GroupMemberDto } from './groups.dto';

/** Sorting of the group list. */
export const GROUPS_ORDERING = {
  orderable: { name: 'c.name', member_count: 'c.memberCount', created_at: 'c.createdAt' },
  defaultOrdering: 'name',
} satisfies ListOrdering;

/** Sorting of a group’s members. */
export const GROUP_MEMBERS_ORDERING = {
  orderable: { joined_at: 'p.joinedAt', first_name: 'u.firstName' },
  defaultOrdering: 'joined_at',
} satisfies ListOrdering;

/** SafeTalk support groups: a conversation of kind `group` with members and moderators. */
@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Conversation) private readonly conversations: Repository<Conversation>,
    @InjectRepository(ConversationParticipant) private readonly participants: Repository<ConversationParticipant>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly access: ChatAccessService,
    private readonly realtime: RealtimeServer,
  ) {}

  async list(principal: Principal, query: GroupListQueryDto): Promise<Paginated<GroupDto>> {
    const builder = this.conversations
      .createQueryBuilder('c')
      .where('c.kind = :kind AND c.status = :active', { kind: ConversationKind.Group, active: ConversationStatus.Active });
    if (query.category) builder.andWhere('c.category = :category', { category: query.category });
    const page = await paginate(builder, query, {
      ...GROUPS_ORDERING,
      searchable: ['c.name', 'c.description'],
      dateColumn: 'c.createdAt',
      tieBreaker: 'c.id',
    });
    return new Paginated(await this.toDtos(principal, page.items), page.count, page.page, page.pageSize);
  }

  async create(principal: Principal, dto: CreateGroupDto): Promise<GroupDto> {
    const group = await this.dataSource.transaction(async (manager) => {
      const group = await manager.save(
        manager.create(Conversation, {
          kind: ConversationKind.Group,
          name: dto.name.trim(),
          description: dto.description?.trim() ?? null,
          category: dto.category ?? 'support',
          createdById: principal.userId,
          memberCount: 1,
        }),
      );
      await manager.insert(ConversationParticipant, { conversationId: group.id, userId: principal.userId, role: ParticipantRole.Moderator });
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
      const existing = await manager.findOneBy(ConversationParticipant, { conversationId: group.id, userId: principal.userId });
      if (existing && !existing.leftAt) throw new AppException('GROUPS.ALREADY_MEMBER', 'You are already a member of this group.');
      if (existing) {
        // Rejoining starts reading from now, not from the whole backlog.
        await manager.update(ConversationParticipant, { conversationId: group.id, userId: principal.userId }, { leftAt: null, role: ParticipantRole.Member, lastReadSeq: group.lastSeq, lastDeliveredSeq: group.lastSeq });
      } else {
        await manager.insert(ConversationParticipant, { conversationId: group.id, userId: principal.userId, role: ParticipantRole.Member, lastReadSeq: group.lastSeq, lastDeliveredSeq: group.lastSeq });
      }
      await manager.increment(Conversation, { id: group.id }, 'memberCount', 1);
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
    const builder = this.participants
      .createQueryBuilder('p')
      .innerJoinAndMapOne('p.user', User, 'u', 'u.id = p.user_id')
      .where('p.conversationId = :groupId AND p.leftAt IS NULL', { groupId });
    const page = await paginate(builder, query, {
      ...GROUP_MEMBERS_ORDERING,
      searchable: ['u.firstName', 'u.lastName'],
      dateColumn: 'p.joinedAt',
      tieBreaker: 'p.userId',
    });
    return page.map((p) => ({ ...toUserSummary(p.user!), group_role: p.role, joined_at: p.joinedAt.toISOString() }));
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
      const membership = await manager.findOneBy(ConversationParticipant, { conversationId: group.id, userId });
      if (!membership || membership.leftAt) throw new AppException('GROUPS.NOT_MEMBER', 'Not a member of this group.');
      await manager.update(ConversationParticipant, { conversationId: group.id, userId }, { leftAt: new Date() });
      await manager.decrement(Conversation, { id: group.id }, 'memberCount', 1);
    });
    this.realtime.leaveUserFromChat(userId, groupId);
  }

  private async groupOrThrow(groupId: string, manager?: EntityManager, lock = false): Promise<Conversation> {
    const repository = manager ? manager.getRepository(Conversation) : this.conversations;
    const group = await repository.findOne({ where: { id: groupId, kind: ConversationKind.Group }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!group || group.status === ConversationStatus.Deleted) throw new AppException('GROUPS.NOT_FOUND', 'Group not found.');
    return group;
  }

  private async toDtos(principal: Principal, groups: Conversation[]): Promise<GroupDto[]> {
    const mine = groups.length
      ? await this.participants.findBy({ conversationId: In(groups.map((g) => g.id)), userId: principal.userId })
      : [];
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
