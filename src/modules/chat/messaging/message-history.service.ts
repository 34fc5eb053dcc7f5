import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { CursorPage } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { HotQueries } from 'src/infrastructure/database/hot-queries.service';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { AuditService } from 'src/modules/audit/audit.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { DataSource, Repository } from 'typeorm';
import { ChatAccessService } from '../chat-access.service';
import { MessageDto, MessageHistoryQueryDto, ReadReceiptDto, UnreadQueryDto } from '../chat.dto';
import { ConversationsService } from '../conversations.service';
import { Message } from '../entities/message.entity';
import { ConversationParticipant } from '../entities/participant.entity';
import { MessageViews } from './message-views.service';
import { HISTORY_NEWEST_FIRST_SQL, HISTORY_OLDEST_FIRST_SQL, MessageRow } from './read.sql';

export type ReceiptKind = 'read' | 'delivered';

/**
 * Reading a chat: history pages by cursor, one message, the unread ones, and the read and
 * delivered receipts that move the reader's watermarks. Staff reading a user's support
 * chat is written to the audit log.
 */
@Injectable()
export class MessageHistoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    private readonly access: ChatAccessService,
    private readonly views: MessageViews,
    private readonly conversations: ConversationsService,
    private readonly realtime: RealtimeServer,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly hot: HotQueries,
  ) {}

  /** A page of history, newest first (or, with only `after`, the page after a message, shown newest first too). */
  async history(principal: Principal, conversationId: string, query: MessageHistoryQueryDto, context: RequestContext): Promise<CursorPage<MessageDto>> {
    const access = await this.access.historyAccess(principal, conversationId);
    const ascending = Boolean(query.after) && !query.before;
    const [beforeSeq, afterSeq] = await Promise.all([
      query.before ? this.cursorSeq(conversationId, query.before) : null,
      query.after ? this.cursorSeq(conversationId, query.after) : null,
    ]);
    // limit + 1 tells whether another page exists without counting.
    const rows = await this.hot.query<MessageRow>(ascending ? 'history_oldest_first' : 'history_newest_first', ascending ? HISTORY_OLDEST_FIRST_SQL : HISTORY_NEWEST_FIRST_SQL, [
      conversationId,
      query.include_deleted === true,
      query.message_type ?? null,
      query.sender_id ?? null,
      query.emergency ?? null,
      query.read_status ?? null,
      beforeSeq,
      afterSeq,
      query.limit + 1,
    ]);
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    if (ascending) page.reverse();
    if (this.access.isStaffReadingSupport(principal, access)) await this.recordStaffRead(principal, conversationId, page.length, context);
    return new CursorPage(await this.views.fromRows(page), {
      has_more: hasMore,
      before: page.length ? page[page.length - 1].id : null,
      after: page.length ? page[0].id : null,
    });
  }

  async getOne(principal: Principal, conversationId: string, messageId: string, context: RequestContext): Promise<MessageDto> {
    const access = await this.access.historyAccess(principal, conversationId);
    const message = await this.views.findInChat(conversationId, messageId);
    if (this.access.isStaffReadingSupport(principal, access)) await this.recordStaffRead(principal, conversationId, 1, context);
    return this.views.toDto(message);
  }

  async unread(principal: Principal, conversationId: string, query: UnreadQueryDto): Promise<MessageDto[]> {
    const access = await this.access.access(principal, conversationId);
    const watermark = access.participant?.lastReadSeq ?? 0;
    const rows = await this.messages
      .createQueryBuilder('m')
      .where('m.conversationId = :conversationId AND m.seq > :watermark AND m.deleted = false', { conversationId, watermark })
      .andWhere('m.senderId IS DISTINCT FROM :me', { me: principal.userId })
      .orderBy('m.seq', 'ASC')
      .take(query.limit)
      .getMany();
    return this.views.toDtos(rows);
  }

  /**
   * Moves the caller's read (or delivered) watermark up to a message (or the end), stamps
   * the messages it passes, and tells the chat. Never moves backwards.
   */
  async receipt(principal: Principal, conversationId: string, kind: ReceiptKind, messageId?: string): Promise<ReadReceiptDto> {
    const result = await this.dataSource.transaction(async (manager) => {
      const access = await this.access.access(principal, conversationId, manager);
      if (!access.participant) throw new AppException('CHAT.NOT_FOUND', 'Chat not found.');
      const participant = await manager.findOneOrFail(ConversationParticipant, {
        where: { conversationId, userId: principal.userId },
        lock: { mode: 'pessimistic_write' },
      });
      const target = messageId ? (await this.views.findInChat(conversationId, messageId, manager)).seq : access.conversation.lastSeq;
      const now = new Date();
      const from = kind === 'read' ? participant.lastReadSeq : participant.lastDeliveredSeq;
      if (target > from) {
        const stamp = kind === 'read' ? { readAt: now, readById: principal.userId } : { deliveredAt: now };
        await manager
          .createQueryBuilder()
          .update(Message)
          .set(kind === 'read' ? { ...stamp, deliveredAt: () => 'COALESCE(delivered_at, now())' } : stamp)
          .where('conversation_id = :conversationId AND seq > :from AND seq <= :target', { conversationId, from, target })
          .andWhere('sender_id IS DISTINCT FROM :me', { me: principal.userId })
          .andWhere(kind === 'read' ? 'read_at IS NULL' : 'delivered_at IS NULL')
          .execute();
        const delivered = Math.max(participant.lastDeliveredSeq, target);
        await manager.update(
          ConversationParticipant,
          { conversationId, userId: principal.userId },
          kind === 'read' ? { lastReadSeq: target, lastReadAt: now, lastDeliveredSeq: delivered } : { lastDeliveredSeq: delivered },
        );
      }
      const upTo = Math.max(from, target);
      const unread = (await this.conversations.unreadCounts(principal.userId, [conversationId], manager)).get(conversationId) ?? 0;
      return { upTo, at: now, unread, moved: target > from };
    });
    const receipt: ReadReceiptDto = {
      chat_id: conversationId,
      user_id: principal.userId,
      up_to_seq: result.upTo,
      at: result.at.toISOString(),
      unread_count: result.unread,
    };
    if (result.moved) this.realtime.toChat(conversationId, kind, receipt);
    if (result.moved && kind === 'read') await this.notifications.conversationRead(principal.userId, conversationId);
    return receipt;
  }

  private async cursorSeq(conversationId: string, messageId: string): Promise<number> {
    const cursor = await this.messages.findOne({ where: { id: messageId, conversationId }, select: { id: true, seq: true } });
    if (!cursor) throw new AppException('CHAT.MESSAGE_NOT_FOUND', 'The cursor message is not in this chat.', { cursor: ['unknown message'] });
    return cursor.seq;
  }

  private async recordStaffRead(principal: Principal, conversationId: string, count: number, context: RequestContext): Promise<void> {
    await this.audit.record(
      { action: 'chat.messages_read_by_staff', actorId: principal.userId, targetType: 'conversation', targetId: conversationId, detail: { messages: count } },
      context,
    );
  }
}
