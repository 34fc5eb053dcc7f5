import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { isProvider, isStaff, Role } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { containsPattern, ListOrdering, sortOf, windowTotal } from 'src/common/pagination/paginate';
import { HotQueries } from 'src/infrastructure/database/hot-queries.service';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UserCard, UserStatus } from 'src/modules/users/users.types';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { ChatAccessService, ConversationAccess } from './chat-access.service';
import { ChatDto, ChatListQueryDto, UserSummaryDto } from './chat.dto';
import { ChatRoom } from './entities/chat-room.entity';
import { Conversation, ConversationKind, ConversationStatus } from './entities/conversation.entity';
import { ConversationParticipant, ParticipantRole } from './entities/participant.entity';
import { CHAT_COUNT_SQL, CHAT_VIEWS_SQL, chatPageStatement, ChatSortField, ChatViewRow, UNREAD_COUNTS_SQL } from './conversations.sql';
import { MessageCipher } from './message-cipher.service';

/** Sorting of your chats. */
export const CHATS_ORDERING = {
  orderable: { last_message_at: 'c.activityAt', created_at: 'c.createdAt' },
  defaultOrdering: '-last_message_at',
  // The list's statements (conversations.sql.ts) sort by exactly these fields.
} satisfies ListOrdering & { orderable: Record<ChatSortField, string> };

export const toUserSummary = (user: Pick<UserCard, 'id' | 'firstName' | 'lastName' | 'role'>): UserSummaryDto => ({
  id: user.id,
  first_name: user.firstName,
  last_name: user.lastName,
  role: user.role,
});

/** Direct chats, the chat list and per-user chat settings. Messages live in messaging/. */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Conversation) private readonly conversations: Repository<Conversation>,
    @InjectRepository(ConversationParticipant) private readonly participants: Repository<ConversationParticipant>,
    private readonly access: ChatAccessService,
    private readonly cipher: MessageCipher,
    private readonly realtime: RealtimeServer,
    private readonly directory: UserDirectoryService,
    private readonly hot: HotQueries,
  ) {}

  /**
   * Create or get the direct chat between the caller and another user. One chat per pair
   * is held by a unique index on the pair key, so concurrent calls converge on one row.
   */
  async createOrGetDirect(principal: Principal, otherUserId: string): Promise<ChatDto> {
    if (otherUserId === principal.userId) throw new AppException('CHAT.SELF_CHAT', 'You cannot start a chat with yourself.', { participant_id: ['must be another user'] });
    const [me, other] = await Promise.all([this.directory.find(principal.userId), this.directory.find(otherUserId)]);
    if (!me || !other || other.status !== UserStatus.Active) throw new AppException('CHAT.USER_NOT_FOUND', 'User not found.');
    const [myRole, otherRole] = this.directRoles(me, other);
    const pairKey = [me.id, other.id].sort().join(':');

    const conversationId = await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Conversation)
        .values({ kind: ConversationKind.Direct, pairKey, createdById: me.id, memberCount: 2 })
        .orIgnore()
        .returning(['id'])
        .execute();
      const createdId = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (!createdId) {
        // Someone (maybe a concurrent request of ours) created it first: use theirs.
        const existing = await manager.findOneByOrFail(Conversation, { kind: ConversationKind.Direct, pairKey });
        if (existing.status === ConversationStatus.Deleted) {
          await manager.update(Conversation, existing.id, { status: ConversationStatus.Active });
        }
        return existing.id;
      }
      await manager.insert(ConversationParticipant, [
        { conversationId: createdId, userId: me.id, role: myRole },
        { conversationId: createdId, userId: other.id, role: otherRole },
      ]);
      await manager.insert(ChatRoom, { conversationId: createdId });
      return createdId;
    });
    await Promise.all([this.realtime.joinUserToChat(me.id, conversationId), this.realtime.joinUserToChat(other.id, conversationId)]);
    return this.get(principal, conversationId);
  }

  /** Who may start a direct chat with whom (DESIGN: peer support happens in moderated groups). */
  private directRoles(me: UserCard, other: UserCard): [ParticipantRole, ParticipantRole] {
    const providerSide = (user: UserCard): ParticipantRole => (user.role === Role.Client ? ParticipantRole.Patient : ParticipantRole.Provider);
    if (isStaff(me.role) || isStaff(other.role)) return [providerSide(me), providerSide(other)];
    if (me.role === Role.Client && other.role === Role.Client) {
      throw new AppException('CHAT.CLIENT_TO_CLIENT', 'Clients cannot start direct chats with other clients; join a support group instead.');
    }
    if (isProvider(me.role) && isProvider(other.role)) {
      throw new AppException('CHAT.PAIR_NOT_ALLOWED', 'Therapists and friends chat with clients; ask staff to connect you.');
    }
    const provider = isProvider(me.role) ? me : other;
    if (!provider.isVerified) {
      throw new AppException('CHAT.PROVIDER_NOT_VERIFIED', 'This therapist or friend is not verified yet.');
    }
    return [providerSide(me), providerSide(other)];
  }

  async list(principal: Principal, query: ChatListQueryDto): Promise<Paginated<ChatDto>> {
    const { field, direction } = sortOf(query.ordering, CHATS_ORDERING);
    const filters = [
      principal.userId,
      query.kind ?? null,
      query.status ?? null,
      query.search ? containsPattern(query.search) : null,
      query.date_after ?? null,
      query.date_before ?? null,
    ];
    const page = chatPageStatement(field, direction);
    const rows = await this.hot.query<ChatViewRow & { total: number }>(page.name, page.text, [
      ...filters,
      query.page_size,
      (query.page - 1) * query.page_size,
    ]);
    const total = await windowTotal(rows, query.page, async () => (await this.hot.query<{ total: number }>('chat_count', CHAT_COUNT_SQL, filters))[0].total);
    return new Paginated(rows.map((row) => this.toDto(row)), total, query.page, query.page_size);
  }

  async get(principal: Principal, conversationId: string): Promise<ChatDto> {
    const { conversation } = await this.access.access(principal, conversationId);
    const [view] = await this.hot.query<ChatViewRow>('chat_views', CHAT_VIEWS_SQL, [principal.userId, [conversation.id]]);
    return this.toDto(view);
  }

  async updateStatus(principal: Principal, conversationId: string, status: ConversationStatus): Promise<ChatDto> {
    await this.dataSource.transaction(async (manager) => {
      const access = await this.access.access(principal, conversationId, manager, true);
      this.assertMayChangeStatus(principal, access, status);
      await manager.update(Conversation, conversationId, {
        status,
        blockedById: status === ConversationStatus.Blocked ? principal.userId : null,
      });
    });
    const dto = await this.get(principal, conversationId);
    this.realtime.toChat(conversationId, 'chat_updated', { chat_id: conversationId, status: dto.status, blocked_by: dto.blocked_by });
    return dto;
  }

  private assertMayChangeStatus(principal: Principal, access: ConversationAccess, status: ConversationStatus): void {
    const { conversation } = access;
    if (isStaff(principal.role)) return;
    if (conversation.kind === ConversationKind.Group) {
      if (!this.access.canModerate(principal, access)) throw new AppException('CHAT.STATUS_CHANGE_FORBIDDEN', 'Only moderators change a group’s status.');
      return;
    }
    if (conversation.kind === ConversationKind.Support) {
      throw new AppException('CHAT.STATUS_CHANGE_FORBIDDEN', 'Support conversations are managed by staff.');
    }
    // Direct chat: either side may block; only the blocker lifts a block.
    if (conversation.status === ConversationStatus.Blocked && conversation.blockedById !== principal.userId && status !== ConversationStatus.Blocked) {
      throw new AppException('CHAT.STATUS_CHANGE_FORBIDDEN', 'Only the person who blocked this chat can unblock it.');
    }
  }

  async setNotifications(principal: Principal, conversationId: string, enabled: boolean): Promise<ChatDto> {
    const access = await this.access.access(principal, conversationId);
    if (!access.participant) throw new AppException('CHAT.NOT_FOUND', 'Chat not found.');
    await this.participants.update({ conversationId, userId: principal.userId }, { notificationsEnabled: enabled });
    return this.get(principal, conversationId);
  }

  /** Unread count = messages after my read watermark not sent by me and not deleted: derived, so always exact. */
  async unreadCounts(userId: string, conversationIds: string[], manager?: EntityManager): Promise<Map<string, number>> {
    if (conversationIds.length === 0) return new Map();
    const runner = manager ?? this.dataSource.manager;
    const rows = await runner.query<Array<{ conversation_id: string; unread: number }>>(UNREAD_COUNTS_SQL, [userId, conversationIds]);
    return new Map(rows.map((r) => [r.conversation_id, r.unread]));
  }

  /** A chat as the caller sees it. */
  private toDto(c: ChatViewRow): ChatDto {
    return {
      id: c.id,
      kind: c.kind,
      status: c.status,
      name: c.name,
      participants: c.members ?? [],
      unread_count: c.unread,
      notifications_enabled: c.notifications_enabled ?? true,
      last_message: c.lastMessageAt
        ? {
            // Previews come from the last message itself, so edits and deletions show at once.
            text: c.lastMessageId && c.last_body ? this.cipher.previewOf(c.lastMessageId, c.last_body) : null,
            timestamp: c.lastMessageAt.toISOString(),
            sender_id: c.lastMessageSenderId,
          }
        : null,
      blocked_by: c.blockedById,
      member_count: c.memberCount,
      created_at: c.createdAt.toISOString(),
    };
  }
}
