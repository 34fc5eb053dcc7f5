import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { AppConfig } from 'src/config/app-config';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { isStaff } from 'src/common/access/permissions';
import { ChatMembershipService, SUPPORT_LIST_ORDERING } from 'src/modules/chat/chat-membership.service';
import { ParticipantRole } from 'src/modules/chat/chat.types';
import { toUserSummary } from 'src/modules/chat/conversations.service';
import type { Conversation } from 'src/modules/chat/entities/conversation.entity';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource } from 'typeorm';
import { SupportChatDto, SupportConversationDto } from './support.dto';

/** Sorting of the support conversations staff see. */
export const SUPPORT_CONVERSATIONS_ORDERING = SUPPORT_LIST_ORDERING;

export const SUPPORT_EVENTS = ['chat_message', 'user_connected', 'user_disconnected'];

/**
 * The PTSD app's user ↔ admin support chat: one conversation per user, seen by all staff.
 * Conversations go through chat's exported ChatMembershipService, accounts through the
 * users module's UserDirectoryService.
 */
@Injectable()
export class SupportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly chat: ChatMembershipService,
    private readonly directory: UserDirectoryService,
    private readonly realtime: RealtimeServer,
    private readonly config: AppConfig,
  ) {}

  /** The user's support conversation, created on first use (race-safe: unique per user). */
  async conversationOf(userId: string): Promise<Conversation> {
    const existing = await this.chat.findSupportConversation(userId);
    if (existing) return existing;
    await this.dataSource.transaction(async (manager) => {
      const id = await this.chat.createSupportConversation(userId, manager);
      if (id) await this.chat.addParticipant({ conversationId: id, userId, role: ParticipantRole.Member }, manager);
    });
    const conversation = await this.chat.findSupportConversation(userId);
    if (!conversation) throw new Error(`The support conversation of ${userId} is missing right after its creation.`);
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
    if (!(await this.directory.exists(userId))) throw new AppException('SUPPORT.USER_NOT_FOUND', 'User not found.');
    return this.conversationOf(userId);
  }

  async listForStaff(principal: Principal, query: PaginationQueryDto): Promise<Paginated<SupportConversationDto>> {
    const page = await this.chat.listSupportConversations(query);
    const ids = page.items.map((c) => c.id);
    const userIds = page.items.map((c) => c.supportUserId!);
    const [users, unreadById] = await Promise.all([this.directory.findMany(userIds), this.chat.supportUnreadCounts(ids, principal.userId)]);
    const userById = new Map(users.map((u) => [u.id, u]));
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
