import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { isVerifiedProvider, Role } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { CursorPage } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { AppConfig } from 'src/config/app-config';
import { HotQueries, violatedConstraint } from 'src/infrastructure/database/hot-queries.service';
import { StatementBatcher } from 'src/infrastructure/database/statement-batcher';
import { RealtimeServer, STAFF_ROOM, userRoom } from 'src/infrastructure/realtime/realtime.server';
import { AuditService } from 'src/modules/audit/audit.service';
import { NotificationFields, NotificationsService } from 'src/modules/notifications/notifications.service';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { ChatAccessService, ConversationAccess } from './chat-access.service';
import {
  EditMessageDto,
  MessageDto,
  MessageEditDto,
  MessageHistoryQueryDto,
  ReadReceiptDto,
  ReactionSummaryDto,
  SendMessageDto,
  UnreadQueryDto,
} from './chat.dto';
import { Attachment } from './entities/attachment.entity';
import { ChatRoom } from './entities/chat-room.entity';
import { ConversationKind, ConversationStatus } from './entities/conversation.entity';
import { Message, MessageEdit, MessageReaction, MessageType } from './entities/message.entity';
import { ConversationParticipant, ParticipantRole } from './entities/participant.entity';
import { ConversationsService } from './conversations.service';
import { toAttachmentDto } from './attachments.service';
import { MessageCipher } from './message-cipher.service';

/** Most sends one statement stores (measured: batches of 8–16 take PostgreSQL to ~4x the single-send rate). */
const SEND_BATCH_SIZE = 32;

/** Message types only therapists may send. */
const THERAPIST_TYPES = new Set([MessageType.Appointment, MessageType.Prescription]);
const ATTACHMENT_TYPES = new Set([MessageType.Image, MessageType.File]);

export type ReceiptKind = 'read' | 'delivered';

interface StoredSend {
  seq: number;
  kind: ConversationKind;
  support_user_id: string | null;
  /** The other current participants of a direct or support chat. */
  recipient_ids: string[];
  /** The message notifications the statement wrote (createdAt as JSON text). */
  notifications: Array<Omit<NotificationFields, 'createdAt'> & { createdAt: string }>;
}

/**
 * Stores a batch of sends (at most one per conversation) in one statement: numbers each
 * message under its conversation's row lock (taken in id order, so concurrent batches
 * cannot deadlock; sequence order is commit order), moves the last-message pointer and the
 * sender's own watermarks, and returns who else should hear of it. A send whose sender
 * no longer belongs to the chat, whose chat is not active, or whose room forbids their
 * side to send writes nothing and returns no row; the caller then reports why.
 */
const SEND_MESSAGES_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::text[], $9::bool[], $10::timestamptz[])
    AS i(conversation_id, id, sender_id, type, body, reply_to_id, attachment_id, client_message_id, emergency, created_at)
), allowed AS (
  SELECT i.* FROM input i
    JOIN conversation_participants me ON me.conversation_id = i.conversation_id AND me.user_id = i.sender_id AND me.left_at IS NULL
   WHERE NOT EXISTS (SELECT 1 FROM chat_rooms r WHERE r.conversation_id = i.conversation_id
           AND (r.is_archived OR NOT r.is_active OR CASE WHEN me.role = 'patient' THEN NOT r.patient_can_send ELSE NOT r.therapist_can_send END))
), locked AS (
  SELECT c.id FROM conversations c WHERE c.id IN (SELECT conversation_id FROM allowed) AND c.status = 'active'
   ORDER BY c.id FOR NO KEY UPDATE
), conv AS (
  UPDATE conversations c
     SET last_seq = c.last_seq + 1, last_message_id = a.id, last_message_at = a.created_at, activity_at = a.created_at,
         last_message_sender_id = a.sender_id, updated_at = a.created_at
    FROM allowed a, locked l
   WHERE c.id = a.conversation_id AND l.id = c.id
  RETURNING c.id, c.last_seq, c.kind, c.support_user_id
), msg AS (
  INSERT INTO messages (id, conversation_id, seq, sender_id, type, body, reply_to_id, attachment_id, client_message_id,
                        emergency, emergency_at, emergency_by_id, created_at)
  SELECT a.id, a.conversation_id, conv.last_seq, a.sender_id, a.type, a.body, a.reply_to_id, a.attachment_id, a.client_message_id,
         a.emergency, CASE WHEN a.emergency THEN a.created_at END, CASE WHEN a.emergency THEN a.sender_id END, a.created_at
    FROM allowed a JOIN conv ON conv.id = a.conversation_id
  RETURNING id, conversation_id, sender_id, seq, created_at
), mine AS (
  UPDATE conversation_participants p SET last_read_seq = msg.seq, last_delivered_seq = msg.seq, last_read_at = msg.created_at
    FROM msg WHERE p.conversation_id = msg.conversation_id AND p.user_id = msg.sender_id
), recipients AS (
  SELECT msg.id AS message_id, p.user_id, p.notifications_enabled
    FROM msg JOIN conv ON conv.id = msg.conversation_id
    JOIN conversation_participants p ON p.conversation_id = msg.conversation_id AND p.user_id <> msg.sender_id AND p.left_at IS NULL
   WHERE conv.kind <> 'group'
), notified AS (
  -- The new-message notification of direct and support chats: one unread per recipient
  -- and chat, counting messages (groups rely on unread counts, or a busy group would
  -- write a row per member per message). Written with the message, pushed by NotificationsService.
  INSERT INTO notifications (user_id, title, message, notification_type, related_id, count, created_at)
  SELECT r.user_id, CASE WHEN conv.kind = 'support' THEN 'Support chat' ELSE 'New message' END,
         'You have a new message from ' || CASE
           -- A staff answer in a support chat comes from the team, not from one person's name.
           WHEN conv.kind = 'support' AND msg.sender_id IS DISTINCT FROM conv.support_user_id THEN 'the support team'
           ELSE coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), 'someone') END,
         'message', msg.conversation_id, 1, msg.created_at
    FROM recipients r JOIN msg ON msg.id = r.message_id JOIN conv ON conv.id = msg.conversation_id
    LEFT JOIN users u ON u.id = msg.sender_id
   WHERE r.notifications_enabled
  ON CONFLICT (user_id, related_id) WHERE notification_type = 'message' AND read = false
  DO UPDATE SET count = notifications.count + 1, created_at = EXCLUDED.created_at,
                message = 'You have ' || (notifications.count + 1) || ' new messages from ' || substring(EXCLUDED.message from ' from (.*)$')
  RETURNING id, user_id AS "userId", title, message, notification_type AS "notificationType", related_id AS "relatedId",
            count, read, created_at AS "createdAt"
)
SELECT msg.id, msg.seq::int AS seq, conv.kind, conv.support_user_id,
       ARRAY(SELECT r.user_id FROM recipients r WHERE r.message_id = msg.id) AS recipient_ids,
       (SELECT coalesce(json_agg(n), '[]'::json) FROM notified n WHERE n."relatedId" = msg.conversation_id) AS notifications
  FROM msg JOIN conv ON conv.id = msg.conversation_id`;

interface SendInput {
  id: string;
  conversationId: string;
  principal: Principal;
  type: MessageType;
  text: string;
  dto: SendMessageDto;
  now: Date;
}

/** Where a message came from, for the realtime fan-out (a socket does not get its own echo twice). */
export interface SendOrigin {
  socketId?: string;
}

/**
 * Messages of every kind of conversation. Each write is stored first (in one
 * transaction, under the conversation's row lock that also numbers it), then fanned
 * out over Socket.IO and notifications. REST and the socket gateway both call here.
 */
@Injectable()
export class MessagesService {
  private readonly sendBatcher: StatementBatcher<SendInput, StoredSend | undefined>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @InjectRepository(MessageEdit) private readonly edits: Repository<MessageEdit>,
    @InjectRepository(MessageReaction) private readonly reactions: Repository<MessageReaction>,
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    @InjectRepository(ChatRoom) private readonly rooms: Repository<ChatRoom>,
    private readonly access: ChatAccessService,
    private readonly conversations: ConversationsService,
    private readonly cipher: MessageCipher,
    private readonly realtime: RealtimeServer,
    private readonly notifications: NotificationsService,
    private readonly hot: HotQueries,
    private readonly audit: AuditService,
    config: AppConfig,
  ) {
    this.sendBatcher = new StatementBatcher({
      keyOf: (input) => input.conversationId,
      write: (inputs) => this.writeSends(inputs),
      maxBatch: SEND_BATCH_SIZE,
      // Leaves most of the pool to everything else; more statements in flight means smaller batches.
      maxInFlight: Math.max(1, Math.min(4, Math.floor(config.database.poolSize / 2))),
    });
  }

  async send(principal: Principal, conversationId: string, dto: SendMessageDto, origin: SendOrigin): Promise<MessageDto> {
    const type = dto.message_type ?? MessageType.Text;
    const text = dto.text?.trim() ?? '';
    if (type === MessageType.System) throw new AppException('CHAT.TYPE_NOT_ALLOWED', 'System messages are written by Haven only.', { message_type: ['system is not allowed'] });
    if (THERAPIST_TYPES.has(type) && !(principal.role === Role.Therapist && isVerifiedProvider(principal))) {
      throw new AppException('CHAT.TYPE_NOT_ALLOWED', `Only verified therapists send ${type} messages.`, { message_type: [`${type} is for therapists only`] });
    }
    if (ATTACHMENT_TYPES.has(type) && !dto.attachment_id) {
      throw new AppException('CHAT.ATTACHMENT_REQUIRED', `A ${type} message needs an attachment_id.`, { attachment_id: ['required for image and file messages'] });
    }
    if (!ATTACHMENT_TYPES.has(type) && text.length === 0) {
      throw new AppException('CHAT.EMPTY_MESSAGE', 'The message is empty.', { text: ['must not be empty'] });
    }
    if (dto.client_message_id) {
      const existing = await this.messages.findOneBy({ senderId: principal.userId, clientMessageId: dto.client_message_id });
      if (existing && existing.conversationId === conversationId) return (await this.toDtos([existing]))[0];
    }

    // References need the caller's access settled first (a stranger gets 404, not 400).
    let attachment: Attachment | null = null;
    if (dto.reply_to || dto.attachment_id) {
      await this.access.sendTarget(principal, conversationId);
      attachment = await this.assertReferences(principal, conversationId, dto);
    }
    const id = randomUUID();
    const now = new Date();
    const input = { id, conversationId, principal, type, text, dto, now };
    let stored = await this.storeOrReplay(input);
    if (stored && 'replayed' in stored) return stored.replayed;
    if (!stored) {
      // Nothing was written: find out why (each rule has its own error), or let staff join a support chat.
      const target = await this.access.sendTarget(principal, conversationId);
      if (target.staffJoining) {
        await this.joinAsStaff(conversationId, principal.userId);
        stored = await this.storeOrReplay(input);
        if (stored && 'replayed' in stored) return stored.replayed;
      }
      if (!stored) throw new AppException('CHAT.NOT_ACTIVE', 'This chat no longer accepts messages.');
    }

    const message = this.messages.create({
      id,
      conversationId,
      seq: stored.seq,
      senderId: principal.userId,
      type,
      body: null,
      replyToId: dto.reply_to ?? null,
      attachmentId: dto.attachment_id ?? null,
      clientMessageId: dto.client_message_id ?? null,
      emergency: dto.emergency === true,
      edited: false,
      editedAt: null,
      deleted: false,
      deletedAt: null,
      deletedById: null,
      deliveredAt: null,
      readAt: null,
      readById: null,
      createdAt: now,
    });
    const result = this.describe(message, text || null, [], attachment);
    const conversation = { id: conversationId, kind: stored.kind, supportUserId: stored.support_user_id };
    // The sending socket gets the stored message in its ack, not a second copy.
    this.realtime.toChat(conversationId, 'message', result, { exceptSocketId: origin.socketId, alsoStaff: conversation.kind === ConversationKind.Support });
    if (conversation.kind === ConversationKind.Support) {
      const supportUserId = conversation.supportUserId!;
      this.realtime.toRooms([userRoom(supportUserId), STAFF_ROOM], 'chat_message', {
        event: 'chat_message',
        message: result.text,
        identifier: supportUserId,
        user_id: supportUserId,
        from_admin: principal.userId !== supportUserId,
        sender_id: result.sender_id,
        message_id: result.id,
        chat_id: result.chat_id,
        created_at: result.created_at,
      });
    }
    this.notifications.announce(stored.notifications.map((n) => ({ ...n, createdAt: new Date(n.createdAt) })));
    if (message.emergency) {
      const participantIds = conversation.kind === ConversationKind.Group ? await this.memberIds(conversationId, principal.userId) : stored.recipient_ids;
      await this.notifications.emergencyFlagged({ conversation, message, flaggedBy: principal, participantIds });
    }
    return result;
  }

  /** reply_to must be a message of this chat; attachment_id an upload of the sender's in this chat (returned). */
  private async assertReferences(principal: Principal, conversationId: string, dto: SendMessageDto): Promise<Attachment | null> {
    if (dto.reply_to) {
      const replied = await this.messages.findOne({ where: { id: dto.reply_to }, select: { id: true, conversationId: true } });
      if (!replied || replied.conversationId !== conversationId) {
        throw new AppException('CHAT.REPLY_OTHER_CHAT', 'reply_to must be a message of this chat.', { reply_to: ['not a message of this chat'] });
      }
    }
    if (dto.attachment_id) {
      const attachment = await this.attachments.findOneBy({ id: dto.attachment_id, conversationId, uploaderId: principal.userId });
      if (!attachment) throw new AppException('CHAT.ATTACHMENT_NOT_FOUND', 'Attachment not found in this chat.', { attachment_id: ['not an upload of yours in this chat'] });
      return attachment;
    }
    return null;
  }

  /** Stores one send, batched with the sends to other chats that arrive meanwhile. */
  private store(input: SendInput): Promise<StoredSend | undefined> {
    return this.sendBatcher.submit(input);
  }

  private async writeSends(inputs: SendInput[]): Promise<Array<StoredSend | undefined>> {
    const column = <T>(pick: (input: SendInput) => T): T[] => inputs.map(pick);
    const rows = await this.hot.query<StoredSend & { id: string }>('send_messages', SEND_MESSAGES_SQL, [
      column((i) => i.conversationId),
      column((i) => i.id),
      column((i) => i.principal.userId),
      column((i) => i.type),
      column((i) => (i.text ? this.cipher.encryptBody(i.id, i.text) : null)),
      column((i) => i.dto.reply_to ?? null),
      column((i) => i.dto.attachment_id ?? null),
      column((i) => i.dto.client_message_id ?? null),
      column((i) => i.dto.emergency === true),
      column((i) => i.now),
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return inputs.map((input) => byId.get(input.id));
  }

  /** store(), or the message a concurrent retry with the same client_message_id already stored. */
  private async storeOrReplay(input: SendInput): Promise<StoredSend | { replayed: MessageDto } | undefined> {
    try {
      return await this.store(input);
    } catch (error) {
      const clientId = input.dto.client_message_id;
      if (clientId && violatedConstraint(error) === 'uq_messages_sender_client_id') {
        const existing = await this.messages.findOneByOrFail({ senderId: input.principal.userId, clientMessageId: clientId });
        return { replayed: (await this.toDtos([existing]))[0] };
      }
      throw error;
    }
  }

  private async memberIds(conversationId: string, except: string): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ user_id: string }>>(
      'SELECT user_id FROM conversation_participants WHERE conversation_id = $1 AND user_id <> $2 AND left_at IS NULL',
      [conversationId, except],
    );
    return rows.map((r) => r.user_id);
  }

  /** Staff answering a support conversation become its participants (for receipts and unread counts). */
  private async joinAsStaff(conversationId: string, userId: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ConversationParticipant)
      .values({ conversationId, userId, role: ParticipantRole.Provider })
      .orUpdate(['left_at'], ['conversation_id', 'user_id'])
      .execute();
  }

  async history(principal: Principal, conversationId: string, query: MessageHistoryQueryDto, context: RequestContext): Promise<CursorPage<MessageDto>> {
    const access = await this.access.access(principal, conversationId);
    await this.assertMaySeeHistory(access);
    const builder = this.messages.createQueryBuilder('m').where('m.conversationId = :conversationId', { conversationId });
    if (!query.include_deleted) builder.andWhere('m.deleted = false');
    if (query.message_type) builder.andWhere('m.type = :type', { type: query.message_type });
    if (query.sender_id) builder.andWhere('m.senderId = :sender', { sender: query.sender_id });
    if (query.emergency !== undefined) builder.andWhere('m.emergency = :emergency', { emergency: query.emergency });
    if (query.read_status === 'read') builder.andWhere('m.readAt IS NOT NULL');
    if (query.read_status === 'delivered') builder.andWhere('m.readAt IS NULL AND m.deliveredAt IS NOT NULL');
    if (query.read_status === 'sent') builder.andWhere('m.readAt IS NULL AND m.deliveredAt IS NULL');
    const ascending = Boolean(query.after) && !query.before;
    if (query.before) builder.andWhere('m.seq < :beforeSeq', { beforeSeq: await this.cursorSeq(conversationId, query.before) });
    if (query.after) builder.andWhere('m.seq > :afterSeq', { afterSeq: await this.cursorSeq(conversationId, query.after) });
    // limit + 1 tells whether another page exists without counting.
    const rows = await builder.orderBy('m.seq', ascending ? 'ASC' : 'DESC').take(query.limit + 1).getMany();
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    if (ascending) page.reverse();
    if (this.access.isStaffReadingSupport(principal, access)) await this.recordStaffRead(principal, conversationId, page.length, context);
    return new CursorPage(await this.toDtos(page), {
      has_more: hasMore,
      before: page.length ? page[page.length - 1].id : null,
      after: page.length ? page[0].id : null,
    });
  }

  private async cursorSeq(conversationId: string, messageId: string): Promise<number> {
    const cursor = await this.messages.findOne({ where: { id: messageId, conversationId }, select: { id: true, seq: true } });
    if (!cursor) throw new AppException('CHAT.MESSAGE_NOT_FOUND', 'The cursor message is not in this chat.', { cursor: ['unknown message'] });
    return cursor.seq;
  }

  private async assertMaySeeHistory(access: ConversationAccess): Promise<void> {
    if (access.conversation.kind !== ConversationKind.Direct) return;
    const room = await this.rooms.findOneBy({ conversationId: access.conversation.id });
    if (!this.access.sidePermissions(access, room).canSeeHistory) throw new AppException('CHAT.HISTORY_HIDDEN', 'The room settings hide the history from you.');
  }

  private async recordStaffRead(principal: Principal, conversationId: string, count: number, context: RequestContext): Promise<void> {
    await this.audit.record(
      { action: 'chat.messages_read_by_staff', actorId: principal.userId, targetType: 'conversation', targetId: conversationId, detail: { messages: count } },
      context,
    );
  }

  async getOne(principal: Principal, conversationId: string, messageId: string, context: RequestContext): Promise<MessageDto> {
    const access = await this.access.access(principal, conversationId);
    await this.assertMaySeeHistory(access);
    const message = await this.findInChat(conversationId, messageId);
    if (this.access.isStaffReadingSupport(principal, access)) await this.recordStaffRead(principal, conversationId, 1, context);
    return (await this.toDtos([message]))[0];
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
    return this.toDtos(rows);
  }

  async edit(principal: Principal, conversationId: string, messageId: string, dto: EditMessageDto): Promise<MessageDto> {
    const message = await this.dataSource.transaction(async (manager) => {
      const access = await this.access.access(principal, conversationId, manager);
      const message = await this.findInChat(conversationId, messageId, manager, true);
      if (message.senderId !== principal.userId) throw new AppException('CHAT.NOT_SENDER', 'Only the sender can edit a message.');
      if (message.deleted) throw new AppException('CHAT.MESSAGE_DELETED', 'A deleted message cannot be edited.');
      if (access.conversation.status === ConversationStatus.Blocked) throw new AppException('CHAT.BLOCKED', 'This chat is blocked.');
      const previous = message.body ? this.cipher.decryptBody(message.id, message.body) : '';
      await manager.insert(MessageEdit, { messageId, previousBody: this.cipher.encryptEdit(messageId, previous), editedById: principal.userId });
      const now = new Date();
      await manager.update(Message, messageId, { body: this.cipher.encryptBody(messageId, dto.text.trim()), edited: true, editedAt: now });
      return manager.findOneByOrFail(Message, { id: messageId });
    });
    const dto_ = (await this.toDtos([message]))[0];
    this.realtime.toChat(conversationId, 'message_edited', dto_);
    return dto_;
  }

  async editHistory(principal: Principal, conversationId: string, messageId: string): Promise<MessageEditDto[]> {
    const access = await this.access.access(principal, conversationId);
    await this.assertMaySeeHistory(access);
    await this.findInChat(conversationId, messageId);
    const edits = await this.edits.find({ where: { messageId }, order: { editedAt: 'ASC' } });
    return edits.map((e) => ({ previous_text: this.cipher.decryptEdit(messageId, e.previousBody), edited_by: e.editedById, edited_at: e.editedAt.toISOString() }));
  }

  /** Soft delete: the row stays (replies and receipts keep their anchor), the text and its history go. */
  async remove(principal: Principal, conversationId: string, messageId: string): Promise<MessageDto> {
    const message = await this.dataSource.transaction(async (manager) => {
      const access = await this.access.access(principal, conversationId, manager);
      const message = await this.findInChat(conversationId, messageId, manager, true);
      const mine = message.senderId === principal.userId;
      const moderating = access.conversation.kind === ConversationKind.Group && this.access.canModerate(principal, access);
      if (!mine && !moderating) throw new AppException('CHAT.NOT_SENDER', 'Only the sender (or a group moderator) can delete a message.');
      if (message.deleted) return message;
      await manager.update(Message, messageId, { deleted: true, deletedAt: new Date(), deletedById: principal.userId, body: null });
      await manager.delete(MessageEdit, { messageId });
      return manager.findOneByOrFail(Message, { id: messageId });
    });
    const dto = (await this.toDtos([message]))[0];
    this.realtime.toChat(conversationId, 'message_deleted', dto);
    return dto;
  }

  async markEmergency(principal: Principal, conversationId: string, messageId: string): Promise<MessageDto> {
    const { conversation, message, changed } = await this.dataSource.transaction(async (manager) => {
      const access = await this.access.access(principal, conversationId, manager);
      const message = await this.findInChat(conversationId, messageId, manager, true);
      if (message.deleted) throw new AppException('CHAT.MESSAGE_DELETED', 'The message was deleted.');
      if (message.emergency) return { conversation: access.conversation, message, changed: false };
      await manager.update(Message, messageId, { emergency: true, emergencyAt: new Date(), emergencyById: principal.userId });
      return { conversation: access.conversation, message: await manager.findOneByOrFail(Message, { id: messageId }), changed: true };
    });
    const dto = (await this.toDtos([message]))[0];
    if (changed) {
      this.realtime.toChat(conversationId, 'message_edited', dto);
      const participants = await this.dataSource.getRepository(ConversationParticipant).findBy({ conversationId });
      await this.notifications.emergencyFlagged({
        conversation,
        message,
        flaggedBy: principal,
        participantIds: participants.filter((p) => p.userId !== principal.userId && !p.leftAt).map((p) => p.userId),
      });
    }
    return dto;
  }

  async addReaction(principal: Principal, conversationId: string, messageId: string, emoji: string): Promise<MessageDto> {
    await this.access.access(principal, conversationId);
    const message = await this.findInChat(conversationId, messageId);
    if (message.deleted) throw new AppException('CHAT.MESSAGE_DELETED', 'The message was deleted.');
    await this.reactions.createQueryBuilder().insert().values({ messageId, userId: principal.userId, emoji }).orIgnore().execute();
    return this.reactionChanged(message, principal.userId, emoji, 'added');
  }

  async removeReaction(principal: Principal, conversationId: string, messageId: string, emoji: string): Promise<MessageDto> {
    await this.access.access(principal, conversationId);
    const message = await this.findInChat(conversationId, messageId);
    await this.reactions.delete({ messageId, userId: principal.userId, emoji });
    return this.reactionChanged(message, principal.userId, emoji, 'removed');
  }

  private async reactionChanged(message: Message, userId: string, emoji: string, action: 'added' | 'removed'): Promise<MessageDto> {
    const dto = (await this.toDtos([message]))[0];
    this.realtime.toChat(message.conversationId, 'reaction', { chat_id: message.conversationId, message_id: message.id, user_id: userId, emoji, action, reactions: dto.reactions });
    return dto;
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
      const target = messageId ? (await this.findInChat(conversationId, messageId, manager)).seq : access.conversation.lastSeq;
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

  private async findInChat(conversationId: string, messageId: string, manager?: EntityManager, lock = false): Promise<Message> {
    const repository = manager ? manager.getRepository(Message) : this.messages;
    const message = await repository.findOne({ where: { id: messageId, conversationId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!message) throw new AppException('CHAT.MESSAGE_NOT_FOUND', 'Message not found.');
    return message;
  }

  /** A message just stored: its text is known and it has no reactions yet, so no extra reads. */
  async toDtos(messages: Message[]): Promise<MessageDto[]> {
    if (messages.length === 0) return [];
    const ids = messages.map((m) => m.id);
    const attachmentIds = messages.map((m) => m.attachmentId).filter((id): id is string => Boolean(id));
    const [reactions, attachments] = await Promise.all([
      this.reactions.find({ where: { messageId: In(ids) }, order: { createdAt: 'ASC' } }),
      attachmentIds.length ? this.attachments.findBy({ id: In(attachmentIds) }) : Promise.resolve([]),
    ]);
    const attachmentById = new Map(attachments.map((a) => [a.id, a]));
    // Per message, per emoji, in the order reactions were made (one pass over all of them).
    const summaries = new Map<string, Map<string, ReactionSummaryDto>>();
    for (const r of reactions) {
      const summary = summaries.get(r.messageId) ?? new Map<string, ReactionSummaryDto>();
      const entry = summary.get(r.emoji) ?? { emoji: r.emoji, count: 0, user_ids: [] };
      entry.count += 1;
      entry.user_ids.push(r.userId);
      summary.set(r.emoji, entry);
      summaries.set(r.messageId, summary);
    }
    return messages.map((m) => {
      const text = m.deleted || !m.body ? null : this.cipher.decryptBody(m.id, m.body);
      const reactionSummary = [...(summaries.get(m.id)?.values() ?? [])];
      return this.describe(m, text, reactionSummary, m.attachmentId ? (attachmentById.get(m.attachmentId) ?? null) : null);
    });
  }

  private describe(m: Message, text: string | null, reactions: ReactionSummaryDto[], stored: Attachment | null): MessageDto {
    const attachment = stored && !m.deleted ? toAttachmentDto(stored) : null;
    return {
      id: m.id,
      chat_id: m.conversationId,
      seq: m.seq,
      sender_id: m.senderId,
      message_type: m.type,
      text,
      reply_to: m.replyToId,
      attachment,
      attachment_url: attachment?.url ?? null,
      attachment_name: attachment?.name ?? null,
      attachment_size: attachment?.size ?? null,
      emergency: m.emergency,
      read_status: m.readAt ? 'read' : m.deliveredAt ? 'delivered' : 'sent',
      delivered_at: m.deliveredAt?.toISOString() ?? null,
      read_at: m.readAt?.toISOString() ?? null,
      read_by: m.readById,
      edited: m.edited,
      edited_at: m.editedAt?.toISOString() ?? null,
      deleted: m.deleted,
      deleted_at: m.deletedAt?.toISOString() ?? null,
      deleted_by: m.deletedById,
      reactions,
      client_message_id: m.clientMessageId,
      created_at: m.createdAt.toISOString(),
    };
  }
}
