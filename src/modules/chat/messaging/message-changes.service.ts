import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { DataSource, Repository } from 'typeorm';
import { ChatAccessService } from '../chat-access.service';
import { EditMessageDto, MessageDto, MessageEditDto } from '../chat.dto';
import { ConversationKind, ConversationStatus } from '../entities/conversation.entity';
import { Message, MessageEdit, MessageReaction } from '../entities/message.entity';
import { ConversationParticipant } from '../entities/participant.entity';
import { ChatTextHooks } from '../chat-text-hooks';
import { MessageCipher } from '../message-cipher.service';
import { MessageViews } from './message-views.service';

/**
 * Changing messages already sent: edits (with their encrypted history), soft deletes,
 * emergency flags and reactions. Each change is written under the message's row lock and
 * then told to the chat.
 */
@Injectable()
export class MessageChangesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MessageEdit) private readonly edits: Repository<MessageEdit>,
    @InjectRepository(MessageReaction) private readonly reactions: Repository<MessageReaction>,
    private readonly access: ChatAccessService,
    private readonly views: MessageViews,
    private readonly cipher: MessageCipher,
    private readonly realtime: RealtimeServer,
    private readonly notifications: NotificationsService,
    private readonly textHooks: ChatTextHooks,
  ) {}

  async edit(principal: Principal, conversationId: string, messageId: string, dto: EditMessageDto): Promise<MessageDto> {
    const { message, kind } = await this.dataSource.transaction(async (manager) => {
      const access = await this.access.access(principal, conversationId, manager);
      const message = await this.views.findInChat(conversationId, messageId, manager, true);
      if (message.senderId !== principal.userId) throw new AppException('CHAT.NOT_SENDER', 'Only the sender can edit a message.');
      if (message.deleted) throw new AppException('CHAT.MESSAGE_DELETED', 'A deleted message cannot be edited.');
      if (access.conversation.status === ConversationStatus.Blocked) throw new AppException('CHAT.BLOCKED', 'This chat is blocked.');
      const previous = message.body ? this.cipher.decryptBody(message.id, message.body) : '';
      await manager.insert(MessageEdit, { messageId, previousBody: this.cipher.encryptEdit(messageId, previous), editedById: principal.userId });
      await manager.update(Message, messageId, { body: this.cipher.encryptBody(messageId, dto.text.trim()), edited: true, editedAt: new Date() });
      return { message: await manager.findOneByOrFail(Message, { id: messageId }), kind: access.conversation.kind };
    });
    const edited = await this.views.toDto(message);
    this.realtime.toChat(conversationId, 'message_edited', edited);
    // An edit is new text: scanned like a send (a message already flagged is not recorded twice).
    const scanned = this.textHooks.written({ messageId, conversationId, conversationKind: kind, senderId: principal.userId, text: dto.text.trim() });
    if (scanned) await scanned;
    return edited;
  }

  async editHistory(principal: Principal, conversationId: string, messageId: string): Promise<MessageEditDto[]> {
    await this.access.historyAccess(principal, conversationId);
    await this.views.findInChat(conversationId, messageId);
    const edits = await this.edits.find({ where: { messageId }, order: { editedAt: 'ASC' } });
    return edits.map((e) => ({ previous_text: this.cipher.decryptEdit(messageId, e.previousBody), edited_by: e.editedById, edited_at: e.editedAt.toISOString() }));
  }

  /** Soft delete: the row stays (replies and receipts keep their anchor), the text and its history go. */
  async remove(principal: Principal, conversationId: string, messageId: string): Promise<MessageDto> {
    const message = await this.dataSource.transaction(async (manager) => {
      const access = await this.access.access(principal, conversationId, manager);
      const message = await this.views.findInChat(conversationId, messageId, manager, true);
      const mine = message.senderId === principal.userId;
      const moderating = access.conversation.kind === ConversationKind.Group && this.access.canModerate(principal, access);
      if (!mine && !moderating) throw new AppException('CHAT.NOT_SENDER', 'Only the sender (or a group moderator) can delete a message.');
      if (message.deleted) return message;
      await manager.update(Message, messageId, { deleted: true, deletedAt: new Date(), deletedById: principal.userId, body: null });
      await manager.delete(MessageEdit, { messageId });
      return manager.findOneByOrFail(Message, { id: messageId });
    });
    const removed = await this.views.toDto(message);
    this.realtime.toChat(conversationId, 'message_deleted', removed);
    return removed;
  }

  async markEmergency(principal: Principal, conversationId: string, messageId: string): Promise<MessageDto> {
    const { conversation, message, changed } = await this.dataSource.transaction(async (manager) => {
      const access = await this.access.access(principal, conversationId, manager);
      const message = await this.views.findInChat(conversationId, messageId, manager, true);
      if (message.deleted) throw new AppException('CHAT.MESSAGE_DELETED', 'The message was deleted.');
      if (message.emergency) return { conversation: access.conversation, message, changed: false };
      await manager.update(Message, messageId, { emergency: true, emergencyAt: new Date(), emergencyById: principal.userId });
      return { conversation: access.conversation, message: await manager.findOneByOrFail(Message, { id: messageId }), changed: true };
    });
    const flagged = await this.views.toDto(message);
    if (changed) {
      this.realtime.toChat(conversationId, 'message_edited', flagged);
      const participants = await this.dataSource.getRepository(ConversationParticipant).findBy({ conversationId });
      await this.notifications.emergencyFlagged({
        conversation,
        message,
        flaggedBy: principal,
        participantIds: participants.filter((p) => p.userId !== principal.userId && !p.leftAt).map((p) => p.userId),
      });
    }
    return flagged;
  }

  async addReaction(principal: Principal, conversationId: string, messageId: string, emoji: string): Promise<MessageDto> {
    await this.access.access(principal, conversationId);
    const message = await this.views.findInChat(conversationId, messageId);
    if (message.deleted) throw new AppException('CHAT.MESSAGE_DELETED', 'The message was deleted.');
    await this.reactions.createQueryBuilder().insert().values({ messageId, userId: principal.userId, emoji }).orIgnore().execute();
    return this.reactionChanged(message, principal.userId, emoji, 'added');
  }

  async removeReaction(principal: Principal, conversationId: string, messageId: string, emoji: string): Promise<MessageDto> {
    await this.access.access(principal, conversationId);
    const message = await this.views.findInChat(conversationId, messageId);
    await this.reactions.delete({ messageId, userId: principal.userId, emoji });
    return this.reactionChanged(message, principal.userId, emoji, 'removed');
  }

  private async reactionChanged(message: Message, userId: string, emoji: string, action: 'added' | 'removed'): Promise<MessageDto> {
    const changed = await this.views.toDto(message);
    this.realtime.toChat(message.conversationId, 'reaction', { chat_id: message.conversationId, message_id: message.id, user_id: userId, emoji, action, reactions: changed.reactions });
    return changed;
  }
}
