import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { isVerifiedProvider, Role } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { AppConfig } from 'src/config/app-config';
import { HotQueries, violatedConstraint } from 'src/infrastructure/database/hot-queries.service';
import { StatementBatcher } from 'src/infrastructure/database/statement-batcher';
import { RealtimeServer, STAFF_ROOM, userRoom } from 'src/infrastructure/realtime/realtime.server';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { DataSource, Repository } from 'typeorm';
import { ChatAccessService } from '../chat-access.service';
import { MessageDto, SendMessageDto } from '../chat.dto';
import { Attachment } from '../entities/attachment.entity';
import { ConversationKind } from '../entities/conversation.entity';
import { Message, MessageType } from '../entities/message.entity';
import { ConversationParticipant, ParticipantRole } from '../entities/participant.entity';
import { ChatTextHooks } from '../chat-text-hooks';
import { MessageCipher } from '../message-cipher.service';
import { MessageViews } from './message-views.service';
import { SEND_MESSAGES_SQL, SendRow } from './send.sql';

/** Most sends one statement stores (measured: batches of 8–16 take PostgreSQL to ~4x the single-send rate). */
const SEND_BATCH_SIZE = 32;

/** Message types only therapists may send. */
const THERAPIST_TYPES = new Set([MessageType.Appointment, MessageType.Prescription]);
const ATTACHMENT_TYPES = new Set([MessageType.Image, MessageType.File]);

interface SendInput {
  id: string;
  conversationId: string;
  principal: Principal;
  type: MessageType;
  text: string;
  dto: SendMessageDto;
  now: Date;
}

/** A send the statement stored. */
type StoredSend = SendRow & { seq: number; recipient_ids: string[]; notifications: NonNullable<SendRow['notifications']> };

/** Where a message came from, for the realtime fan-out (a socket does not get its own echo twice). */
export interface SendOrigin {
  socketId?: string;
}

/**
 * Sending messages to chats of every kind (REST and the socket gateway both call here).
 * Each send is stored first, batched with sends to other chats that arrive meanwhile
 * (group commit, SEND_MESSAGES_SQL), then fanned out over Socket.IO and notifications.
 */
@Injectable()
export class MessageSendingService {
  private readonly sendBatcher: StatementBatcher<SendInput, SendRow | undefined>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    private readonly access: ChatAccessService,
    private readonly views: MessageViews,
    private readonly cipher: MessageCipher,
    private readonly realtime: RealtimeServer,
    private readonly notifications: NotificationsService,
    private readonly hot: HotQueries,
    private readonly textHooks: ChatTextHooks,
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
    this.assertContent(principal, type, text, dto);
    if (dto.client_message_id) {
      const existing = await this.messages.findOneBy({ senderId: principal.userId, clientMessageId: dto.client_message_id });
      if (existing && existing.conversationId === conversationId) return this.views.toDto(existing);
    }

    // References need the caller's access settled first (a stranger gets 404, not 400).
    let attachment: Attachment | null = null;
    if (dto.reply_to || dto.attachment_id) {
      await this.access.checkSend(principal, conversationId);
      attachment = await this.assertReferences(principal, conversationId, dto);
    }
    const input: SendInput = { id: randomUUID(), conversationId, principal, type, text, dto, now: new Date() };
    const stored = await this.storeOrReplay(input);
    if ('replayed' in stored) return stored.replayed;

    const message = this.messages.create({
      id: input.id,
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
      createdAt: input.now,
    });
    const result = this.views.describe(message, text || null, [], attachment);
    const conversation = { id: conversationId, kind: stored.kind!, supportUserId: stored.support_user_id };
    this.publish(principal, conversation, result, origin);
    this.notifications.announce(stored.notifications.map((n) => ({ ...n, createdAt: new Date(n.createdAt) })));
    if (text) {
      // Synchronous for almost every message; only a crisis has work to wait for (its flag is stored before the answer).
      const scanned = this.textHooks.written({ messageId: message.id, conversationId, conversationKind: conversation.kind, senderId: principal.userId, text });
      if (scanned) await scanned;
    }
    if (message.emergency) {
      const participantIds = conversation.kind === ConversationKind.Group ? await this.memberIds(conversationId, principal.userId) : stored.recipient_ids;
      await this.notifications.emergencyFlagged({ conversation, message, flaggedBy: principal, participantIds });
    }
    return result;
  }

  /** What a message may contain, from the request alone (before any read). */
  private assertContent(principal: Principal, type: MessageType, text: string, dto: SendMessageDto): void {
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

  /** The stored message to the chat's sockets (the sending socket gets it in its ack instead) and, for support, the support rooms. */
  private publish(principal: Principal, conversation: { id: string; kind: ConversationKind; supportUserId: string | null }, result: MessageDto, origin: SendOrigin): void {
    const support = conversation.kind === ConversationKind.Support;
    this.realtime.toChat(conversation.id, 'message', result, { exceptSocketId: origin.socketId, alsoStaff: support });
    if (!support) return;
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

  /**
   * Stores a send, or returns the message a concurrent retry with the same client_message_id
   * already stored. A send the rule refuses throws that refusal's error; staff answering a
   * support chat join it and are stored on a second pass.
   */
  private async storeOrReplay(input: SendInput): Promise<StoredSend | { replayed: MessageDto }> {
    for (let pass = 0; ; pass++) {
      let row: SendRow | undefined;
      try {
        row = await this.sendBatcher.submit(input);
      } catch (error) {
        const clientId = input.dto.client_message_id;
        if (clientId && violatedConstraint(error) === 'uq_messages_sender_client_id') {
          const existing = await this.messages.findOneByOrFail({ senderId: input.principal.userId, clientMessageId: clientId });
          return { replayed: await this.views.toDto(existing) };
        }
        throw error;
      }
      // No row: the verdict allowed it, but the chat stopped being active before its lock was taken.
      if (!row) throw new AppException('CHAT.NOT_ACTIVE', 'This chat no longer accepts messages.');
      if (row.seq !== null) return row as StoredSend;
      const { staffJoining } = this.access.sendPermission(input.principal, row);
      if (!staffJoining || pass > 0) throw new AppException('CHAT.NOT_ACTIVE', 'This chat no longer accepts messages.');
      await this.joinAsStaff(input.conversationId, input.principal.userId);
    }
  }

  private async writeSends(inputs: SendInput[]): Promise<Array<SendRow | undefined>> {
    const column = <T>(pick: (input: SendInput) => T): T[] => inputs.map(pick);
    const rows = await this.hot.query<SendRow>('send_messages', SEND_MESSAGES_SQL, [
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
}
