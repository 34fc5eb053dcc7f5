import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { EntityManager, In, Repository } from 'typeorm';
import { MessageDto, ReactionSummaryDto } from '../chat.dto';
import { toAttachmentDto } from '../attachments.service';
import { Attachment } from '../entities/attachment.entity';
import { Message, MessageReaction } from '../entities/message.entity';
import { MessageCipher } from '../message-cipher.service';
import { MessageRow } from './read.sql';

/**
 * How messages are found in a chat and shown: the one place that turns stored rows
 * (encrypted bodies, reactions, attachments) into the MessageDto every route and event sends.
 */
@Injectable()
export class MessageViews {
  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @InjectRepository(MessageReaction) private readonly reactions: Repository<MessageReaction>,
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    private readonly cipher: MessageCipher,
  ) {}

  /** A message of this chat (a message of another chat answers 404 too); `lock` takes its row lock in `manager`'s transaction. */
  async findInChat(conversationId: string, messageId: string, manager?: EntityManager, lock = false): Promise<Message> {
    const repository = manager ? manager.getRepository(Message) : this.messages;
    const message = await repository.findOne({ where: { id: messageId, conversationId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!message) throw new AppException('CHAT.MESSAGE_NOT_FOUND', 'Message not found.');
    return message;
  }

  async toDto(message: Message): Promise<MessageDto> {
    return (await this.toDtos([message]))[0];
  }

  /** Messages as sent to clients: bodies decrypted, reactions summarised, attachments described (two reads in all). */
  async toDtos(messages: Message[]): Promise<MessageDto[]> {
    if (messages.length === 0) return [];
    const ids = messages.map((m) => m.id);
    const [reactions, attachmentById] = await Promise.all([
      this.reactions.find({ where: { messageId: In(ids) }, order: { createdAt: 'ASC', userId: 'ASC' } }),
      this.attachmentsOf(messages),
    ]);
    return this.present(messages, reactions.map((r) => ({ messageId: r.messageId, emoji: r.emoji, userId: r.userId })), attachmentById);
  }

  /** Rows of the read path's statements (reactions already aggregated): attachments are the only further read, when there are any. */
  async fromRows(rows: MessageRow[]): Promise<MessageDto[]> {
    const messages = rows as unknown as Message[];
    const reactions = rows.flatMap((row) => (row.reactions ?? []).map((r) => ({ messageId: row.id, emoji: r.emoji, userId: r.user_id })));
    return this.present(messages, reactions, await this.attachmentsOf(messages));
  }

  private async attachmentsOf(messages: Message[]): Promise<Map<string, Attachment>> {
    const ids = messages.map((m) => m.attachmentId).filter((id): id is string => Boolean(id));
    const attachments = ids.length ? await this.attachments.findBy({ id: In(ids) }) : [];
    return new Map(attachments.map((a) => [a.id, a]));
  }

  private present(messages: Message[], reactions: Array<{ messageId: string; emoji: string; userId: string }>, attachmentById: Map<string, Attachment>): MessageDto[] {
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

  /** One message with what is already known of it (a message just stored: its text, no reactions yet), so no reads. */
  describe(m: Message, text: string | null, reactions: ReactionSummaryDto[], stored: Attachment | null): MessageDto {
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
