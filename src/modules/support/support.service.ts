import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { AppConfig } from 'src/config/app-config';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { isStaff } from 'src/common/access/permissions';
import { toUserSummary } from 'src/modules/chat/conversations.service';
import { Conversation, ConversationKind } from 'src/modules/chat/entities/conversation.entity';
import { ConversationParticipant, ParticipantRole } from 'src/modules/chat/entities/participant.entity';
import { User, UserStatus } from 'src/modules/users/user.entity';
import { DataSource, In, Repository } from 'typeorm';
import { SupportChatDto, SupportConversationDto } from './support.dto';

/** Sorting of the support conversations staff see. */
export const SUPPORT_CONVERSATIONS_ORDERING = {
  orderable: { last_message_at: 'c.activityAt', created_at: 'c.createdAt' },
  defaultOrdering: '-last_message_at',
} satisfies ListOrdering;

export const SUPPORT_EVENTS = ['chat_message', 'user_connected', 'user_disconnected'];

/** The PTSD app's user ↔ admin support chat: one conversation per user, seen by all staff. */
@Injectable()
export class SupportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Conversation) private readonly conversations: Repository<Conversation>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly realtime: RealtimeServer,
    private readonly config: AppConfig,
  ) {}

  /** The user's support conversation, created on first use (race-safe: unique per user). */
  async conversationOf(userId: string): Promise<Conversation> {
    const existing = await this.conversations.findOneBy({ kind: ConversationKind.Support, supportUserId: userId });
    if (existing) return existing;
    await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Conversation)
        .values({ kind: ConversationKind.Support, supportUserId: userId, createdById: userId, memberCount: 1 })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (id) await manager.insert(ConversationParticipant, { conversationId: id, userId, role: ParticipantRole.Member });
    });
    const conversation = await this.conversations.findOneByOrFail({ kind: ConversationKind.Support, supportUserId: userId });
    await this.realtime.joinUserToChat(userId, conversation.id);
    return conversation;
  }

  /** How a client finds its support conversation and connects (PTSD app: GET /chat/user/support/{id}). */
  async chatFor(principal: Principal, baseUrl: string): Promise<SupportChatDto> {
    const conversation = await this.conversationOf(principal.userId);
    const url = this.config.http.publicUrl ?? baseUrl;
    return {
      chat_id: conversation.id,
      user_id: principal.userId,
      is_admin: isStaff(principal.role),
      websocket_url: `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`,
      socket: { url, path: '/socket.io', namespace: '/', auth_field: 'token', events: ['message', ...SUPPORT_EVENTS] },
    };
  }

  /** Staff reply to a chosen user: the user's support conversation (404 for an unknown user). */
  async conversationForStaffReply(userId: string): Promise<Conversation> {
    const user = await this.users.findOneBy({ id: userId });
    if (!user || user.status === UserStatus.Deleted) throw new AppException('SUPPORT.USER_NOT_FOUND', 'User not found.');
    return this.conversationOf(userId);
  }

  async listForStaff(principal: Principal, query: PaginationQueryDto): Promise<Paginated<SupportConversationDto>> {
    const builder = this.conversations
      .createQueryBuilder('c')
      .innerJoin(User, 'u', 'u.id = c.support_user_id')
      .where('c.kind = :kind', { kind: ConversationKind.Support });
    const page = await paginate(builder, query, {
      ...SUPPORT_CONVERSATIONS_ORDERING,
      searchable: ['u.email', 'u.first_name', 'u.last_name'],
      dateColumn: 'c.createdAt',
      tieBreaker: 'c.id',
    });
    const ids = page.items.map((c) => c.id);
    const userIds = page.items.map((c) => c.supportUserId!);
    const [users, unread] = await Promise.all([
      userIds.length ? this.users.findBy({ id: In(userIds) }) : Promise.resolve([]),
      ids.length
        ? this.dataSource.query<Array<{ id: string; unread: number }>>(
            `SELECT c.id, (SELECT count(*)::int FROM messages m
                 WHERE m.conversation_id = c.id AND m.deleted = false AND m.sender_id = c.support_user_id
                   AND m.seq > COALESCE((SELECT p.last_read_seq FROM conversation_participants p
                                          WHERE p.conversation_id = c.id AND p.user_id = $2), 0)) AS unread
               FROM conversations c WHERE c.id = ANY($1::uuid[])`,
            [ids, principal.userId],
          )
        : Promise.resolve([]),
    ]);
    const userById = new Map(users.map((u) => [u.id, u]));
    const unreadById = new Map(unread.map((r) => [r.id, r.unread]));
    const online = await this.realtime.onlineUsers(userIds);
    return new Paginated(
      page.items.map((c) => ({
        chat_id: c.id,
        user: toUserSummary(userById.get(c.supportUserId!)!),
        unread_count: unreadById.get(c.id) ?? 0,
        last_message_at: c.lastMessageAt?.toISOString() ?? null,
        online: online.has(c.supportUserId!),
      })),
      page.count,
      page.page,
      page.pageSize,
    );
  }
}
