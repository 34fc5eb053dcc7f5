import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import type { User } from 'src/modules/users/user.entity';
import { DataSource, EntityManager, In, IsNull, Repository } from 'typeorm';
import { ChatRoom } from './entities/chat-room.entity';
import { Conversation, ConversationKind, ConversationStatus } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { ConversationParticipant, ParticipantRole } from './entities/participant.entity';

/** Sorting of the group list. */
export const GROUP_LIST_ORDERING = {
  orderable: { name: 'c.name', member_count: 'c.memberCount', created_at: 'c.createdAt' },
  defaultOrdering: 'name',
} satisfies ListOrdering;

/** Sorting of a conversation's members. */
export const MEMBER_LIST_ORDERING = {
  orderable: { joined_at: 'p.joinedAt', first_name: 'u.firstName' },
  defaultOrdering: 'joined_at',
} satisfies ListOrdering;

/** Sorting of the support conversations staff see. */
export const SUPPORT_LIST_ORDERING = {
  orderable: { last_message_at: 'c.activityAt', created_at: 'c.createdAt' },
  defaultOrdering: '-last_message_at',
} satisfies ListOrdering;

/** A conversation to create (a group: its name, description and category). */
export interface NewConversation {
  kind: ConversationKind;
  name?: string | null;
  description?: string | null;
  category?: string | null;
  createdById: string;
  memberCount: number;
}

/** A membership to add; a late joiner's read and delivered watermarks start at the conversation's last message. */
export interface NewParticipant {
  conversationId: string;
  userId: string;
  role: ParticipantRole;
  lastReadSeq?: number;
  lastDeliveredSeq?: number;
}

/** A current member with their account (for member lists). */
export type MemberWithUser = ConversationParticipant & { user: User };

/**
 * Conversations and memberships for the features built on chat (groups, support): the
 * SQL on conversations and conversation_participants stays in the chat module. Methods
 * that write take the caller's `manager`, so the caller's transaction (and the row lock
 * it holds, see `findConversation`'s `lock`) covers them; the caller keeps the rules
 * and its own errors.
 */
@Injectable()
export class ChatMembershipService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Conversation) private readonly conversations: Repository<Conversation>,
    @InjectRepository(ConversationParticipant) private readonly participants: Repository<ConversationParticipant>,
    private readonly directory: UserDirectoryService,
  ) {}

  /** Inserts a conversation in `manager`'s transaction and returns it saved. */
  createConversation(values: NewConversation, manager: EntityManager): Promise<Conversation> {
    return manager.save(manager.create(Conversation, values));
  }

  /**
   * The conversation of that kind with this id (any status), or null. With `lock`, its row
   * is locked FOR UPDATE until `manager`'s transaction ends: membership changes take turns.
   */
  findConversation(id: string, kind: ConversationKind, options: { manager?: EntityManager; lock?: boolean } = {}): Promise<Conversation | null> {
    const repository = options.manager ? options.manager.getRepository(Conversation) : this.conversations;
    return repository.findOne({ where: { id, kind }, ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** Whether these two users share a direct chat that is not blocked or deleted. */
  async directChatBetween(userA: string, userB: string): Promise<boolean> {
    const pairKey = [userA, userB].sort().join(':');
    return this.conversations.exists({ where: { kind: ConversationKind.Direct, pairKey, status: In([ConversationStatus.Active, ConversationStatus.Archived]) } });
  }

  /** Everyone who shares a direct chat (not blocked or deleted) with this user: whom a crisis of theirs concerns. */
  async directChatPartnerIds(userId: string): Promise<string[]> {
    const rows = await this.conversations
      .createQueryBuilder('c')
      .select('c.pairKey', 'pairKey')
      .where('c.kind = :kind AND c.status IN (:...statuses)', { kind: ConversationKind.Direct, statuses: [ConversationStatus.Active, ConversationStatus.Archived] })
      .andWhere("(c.pairKey LIKE :first OR c.pairKey LIKE :second)", { first: `${userId}:%`, second: `%:${userId}` })
      .getRawMany<{ pairKey: string }>();
    return rows.flatMap((row) => row.pairKey.split(':')).filter((id) => id !== userId);
  }

  /**
   * The direct chat between a client and a provider, opened if there is none (booking a
   * session does this, so live chat during it is the existing chat). The same one-chat-per-pair
   * insert as ConversationsService.createOrGetDirect: the pair key's unique index makes
   * concurrent calls converge on one row; a deleted chat comes back. Returns its id; the
   * caller joins both users' sockets to it after its transaction commits.
   */
  async openDirectChat(clientId: string, providerId: string, manager?: EntityManager): Promise<string> {
    const run = async (tx: EntityManager): Promise<string> => {
      const pairKey = [clientId, providerId].sort().join(':');
      const inserted = await tx
        .createQueryBuilder()
        .insert()
        .into(Conversation)
        .values({ kind: ConversationKind.Direct, pairKey, createdById: clientId, memberCount: 2 })
        .orIgnore()
        .returning(['id'])
        .execute();
      const createdId = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (!createdId) {
        const existing = await tx.findOneByOrFail(Conversation, { kind: ConversationKind.Direct, pairKey });
        if (existing.status === ConversationStatus.Deleted) await tx.update(Conversation, existing.id, { status: ConversationStatus.Active });
        return existing.id;
      }
      await tx.insert(ConversationParticipant, [
        { conversationId: createdId, userId: clientId, role: ParticipantRole.Patient },
        { conversationId: createdId, userId: providerId, role: ParticipantRole.Provider },
      ]);
      await tx.insert(ChatRoom, { conversationId: createdId });
      return createdId;
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  /** A page of the active groups, optionally of one category; `search` matches name and description. */
  listGroups(filter: { category?: string }, query: PaginationQueryDto): Promise<Paginated<Conversation>> {
    const builder = this.conversations
      .createQueryBuilder('c')
      .where('c.kind = :kind AND c.status = :active', { kind: ConversationKind.Group, active: ConversationStatus.Active });
    if (filter.category) builder.andWhere('c.category = :category', { category: filter.category });
    return paginate(builder, query, {
      ...GROUP_LIST_ORDERING,
      searchable: ['c.name', 'c.description'],
      dateColumn: 'c.createdAt',
      tieBreaker: 'c.id',
    });
  }

  /** The user's membership row of the conversation (also one they left), or null. */
  membership(conversationId: string, userId: string, manager?: EntityManager): Promise<ConversationParticipant | null> {
    return (manager ?? this.dataSource.manager).findOneBy(ConversationParticipant, { conversationId, userId });
  }

  /** The user's membership rows of these conversations (also ones they left). */
  membershipsOf(userId: string, conversationIds: string[]): Promise<ConversationParticipant[]> {
    if (conversationIds.length === 0) return Promise.resolve([]);
    return this.participants.findBy({ conversationId: In(conversationIds), userId });
  }

  /** Adds a membership in `manager`'s transaction (the member count is the caller's: see changeMemberCount). */
  async addParticipant(participant: NewParticipant, manager: EntityManager): Promise<void> {
    await manager.insert(ConversationParticipant, participant);
  }

  /** A member who had left comes back with `role`, reading from `fromSeq` on (not the whole backlog). */
  async rejoin(conversationId: string, userId: string, role: ParticipantRole, fromSeq: number, manager: EntityManager): Promise<void> {
    await manager.update(ConversationParticipant, { conversationId, userId }, { leftAt: null, role, lastReadSeq: fromSeq, lastDeliveredSeq: fromSeq });
  }

  /** The member leaves (the row stays, so their messages keep a known sender). */
  async markLeft(conversationId: string, userId: string, manager: EntityManager): Promise<void> {
    await manager.update(ConversationParticipant, { conversationId, userId }, { leftAt: new Date() });
  }

  /** Moves the conversation's member count by `delta`, in the transaction that changed the membership. */
  async changeMemberCount(conversationId: string, delta: number, manager: EntityManager): Promise<void> {
    if (delta >= 0) await manager.increment(Conversation, { id: conversationId }, 'memberCount', delta);
    else await manager.decrement(Conversation, { id: conversationId }, 'memberCount', -delta);
  }

  /** A page of the conversation's current members with their accounts; `search` matches their names. */
  listMembers(conversationId: string, query: PaginationQueryDto): Promise<Paginated<MemberWithUser>> {
    const builder = this.directory
      .joinUsers(this.participants.createQueryBuilder('p'), 'p.user_id', 'u', 'p.user')
      .where('p.conversationId = :conversationId AND p.leftAt IS NULL', { conversationId });
    return paginate(builder, query, {
      ...MEMBER_LIST_ORDERING,
      searchable: ['u.firstName', 'u.lastName'],
      dateColumn: 'p.joinedAt',
      tieBreaker: 'p.userId',
    }) as Promise<Paginated<MemberWithUser>>;
  }

  /** The user's support conversation, or null before its first use. */
  /** Whether the message is one of the conversation's (not deleted): for features that link to a message. */
  async hasMessage(conversationId: string, messageId: string): Promise<boolean> {
    return this.dataSource.getRepository(Message).exists({ where: { id: messageId, conversationId, deletedAt: IsNull() } });
  }

  findSupportConversation(userId: string): Promise<Conversation | null> {
    return this.conversations.findOneBy({ kind: ConversationKind.Support, supportUserId: userId });
  }

  /**
   * Inserts the user's support conversation unless they have one (one per user, held by a
   * unique index, so concurrent calls converge on one row). Its id when this call created
   * it, null when it already existed.
   */
  async createSupportConversation(userId: string, manager: EntityManager): Promise<string | null> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Conversation)
      .values({ kind: ConversationKind.Support, supportUserId: userId, createdById: userId, memberCount: 1 })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (inserted.raw as Array<{ id: string }>)[0]?.id ?? null;
  }

  /** A page of the support conversations for staff; `search` matches the user's email and names. */
  listSupportConversations(query: PaginationQueryDto): Promise<Paginated<Conversation>> {
    const builder = this.directory
      .joinUsers(this.conversations.createQueryBuilder('c'), 'c.support_user_id', 'u')
      .where('c.kind = :kind', { kind: ConversationKind.Support });
    return paginate(builder, query, {
      ...SUPPORT_LIST_ORDERING,
      searchable: ['u.email', 'u.first_name', 'u.last_name'],
      dateColumn: 'c.createdAt',
      tieBreaker: 'c.id',
    });
  }

  /**
   * Unread counts of support conversations for one staff member: the user's messages after
   * that staff member's read watermark (all of them before they joined).
   */
  async supportUnreadCounts(conversationIds: string[], staffUserId: string): Promise<Map<string, number>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<{ id: string; unread: number }>>(
      `SELECT c.id, (SELECT count(*)::int FROM messages m
           WHERE m.conversation_id = c.id AND m.deleted = false AND m.sender_id = c.support_user_id
             AND m.seq > COALESCE((SELECT p.last_read_seq FROM conversation_participants p
                                    WHERE p.conversation_id = c.id AND p.user_id = $2), 0)) AS unread
         FROM conversations c WHERE c.id = ANY($1::uuid[])`,
      [conversationIds, staffUserId],
    );
    return new Map(rows.map((r) => [r.id, r.unread]));
  }

  /**
   * Active chats for the operations dashboard, by kind. A chat is **active** when it is not
   * deleted and its last message was sent within `windowDays` days before `now` (a rolling
   * window; the dashboard uses 7). One statement over `conversations` (one row per chat, never
   * the messages): `last_message_at` is deliberately not indexed, like `activity_at`, because
   * every send rewrites it and an index would stop those in-place (HOT) updates.
   */
  async activeChatCounts(windowDays: number, now: Date = new Date()): Promise<Map<ConversationKind, number>> {
    const rows = await this.dataSource.query<Array<{ kind: ConversationKind; count: number }>>(
      `SELECT kind, count(*)::int AS count FROM conversations
        WHERE status <> $1 AND last_message_at > $2::timestamptz - $3::int * interval '1 day'
        GROUP BY kind`,
      [ConversationStatus.Deleted, now, windowDays],
    );
    return new Map(rows.map((row) => [row.kind, row.count]));
  }
}
