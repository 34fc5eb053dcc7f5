import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { CursorPage, Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { EntityManager, In, LessThan, MoreThan, Repository } from 'typeorm';
import { CompanionConversationDto, CompanionHistoryQueryDto, CompanionMessageDto, CreateCompanionConversationDto } from './companion.dto';
import { CompanionConversation } from './entities/companion-conversation.entity';
import { CompanionMessage } from './entities/companion-message.entity';
import { ArchiveSection } from 'src/modules/users/personal-data';

/** Sorting of the conversation list. */
export const COMPANION_CONVERSATIONS_ORDERING = {
  orderable: { updated_at: 'c.updatedAt', created_at: 'c.createdAt' },
  defaultOrdering: '-updated_at',
} satisfies ListOrdering;

export const conversationNotFound = (): AppException => new AppException('COMPANION.NOT_FOUND', 'Companion conversation not found.');
export const titleContext = (conversationId: string): string => `companion-title:${conversationId}`;
export const summaryContext = (conversationId: string): string => `companion-summary:${conversationId}`;
export const messageContext = (messageId: string): string => `companion-message:${messageId}`;

/**
 * Companion conversations and their history, each only to its owner (anyone else's id is a
 * 404, like a missing one). Titles and messages are decrypted here, on the way out.
 */
@Injectable()
export class CompanionConversationsService {
  constructor(
    @InjectRepository(CompanionConversation) private readonly conversations: Repository<CompanionConversation>,
    @InjectRepository(CompanionMessage) private readonly messages: Repository<CompanionMessage>,
    private readonly encryption: FieldEncryptionService,
  ) {}

  /** The user's companion conversations with every message (decrypted), for their archive. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const conversations = await manager.find(CompanionConversation, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
    if (conversations.length === 0) return null;
    const messages = await manager.find(CompanionMessage, { where: { conversationId: In(conversations.map((c) => c.id)) }, order: { conversationId: 'ASC', position: 'ASC' } });
    return {
      conversations: conversations.map((c) => ({ ...this.toDto(c), messages: messages.filter((m) => m.conversationId === c.id).map((m) => this.messageDto(m)) })),
    };
  }

  /**
   * Retention: deletes up to `limit` conversations, with all their messages, whose last
   * message (or creation, when empty) is before `cutoff`. Returns how many.
   */
  async deleteIdleBefore(cutoff: Date, limit: number): Promise<number> {
    const result = await this.conversations
      .createQueryBuilder()
      .delete()
      .where(`id IN (SELECT id FROM companion_conversations WHERE coalesce(last_message_at, created_at) < :cutoff LIMIT :limit)`, { cutoff, limit })
      .execute();
    return result.affected ?? 0;
  }

  async create(userId: string, dto: CreateCompanionConversationDto): Promise<CompanionConversationDto> {
    const id = randomUUID();
    const conversation = this.conversations.create({ id, userId, title: dto.title ? this.encryption.encrypt(dto.title, titleContext(id)) : null });
    await this.conversations.insert(conversation);
    return this.toDto(await this.own(userId, id));
  }

  async list(userId: string, query: PaginationQueryDto): Promise<Paginated<CompanionConversationDto>> {
    const builder = this.conversations.createQueryBuilder('c').where('c.userId = :userId', { userId });
    // Titles are encrypted: nothing is searchable.
    const page = await paginate(builder, query, { ...COMPANION_CONVERSATIONS_ORDERING, dateColumn: 'c.createdAt', tieBreaker: 'c.id' });
    return page.map((conversation) => this.toDto(conversation));
  }

  async get(userId: string, id: string): Promise<CompanionConversationDto> {
    return this.toDto(await this.own(userId, id));
  }

  async remove(userId: string, id: string): Promise<void> {
    const result = await this.conversations.delete({ id, userId });
    if (!result.affected) throw conversationNotFound();
  }

  /**
   * A page of the history, newest first: the latest messages, or those older than `before`,
   * or the ones right after `after` (still newest first).
   */
  async history(userId: string, id: string, query: CompanionHistoryQueryDto): Promise<CursorPage<CompanionMessageDto>> {
    if (query.before && query.after) throw AppException.validation('after', 'give before or after, not both');
    await this.own(userId, id);
    const cursorId = query.before ?? query.after;
    let position: number | undefined;
    if (cursorId) {
      const cursor = await this.messages.findOne({ where: { id: cursorId, conversationId: id }, select: { id: true, position: true } });
      if (!cursor) throw new AppException('COMPANION.NOT_FOUND', 'Message not found in this conversation.');
      position = cursor.position;
    }
    const newer = query.after !== undefined;
    const rows = await this.messages.find({
      where: { conversationId: id, ...(position === undefined ? {} : { position: newer ? MoreThan(position) : LessThan(position) }) },
      order: { position: newer ? 'ASC' : 'DESC' },
      take: query.limit + 1,
    });
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    if (newer) page.reverse();
    return new CursorPage(page.map((row) => this.messageDto(row)), {
      has_more: hasMore,
      before: page.length > 0 ? page[page.length - 1].id : null,
      after: page.length > 0 ? page[0].id : null,
    });
  }

  messageDto(row: CompanionMessage): CompanionMessageDto {
    return {
      id: row.id,
      conversation_id: row.conversationId,
      sender: row.sender,
      text: this.encryption.decrypt(row.text, messageContext(row.id)),
      source: row.source,
      crisis: row.crisis,
      keywords_detected: row.keywords,
      created_at: row.createdAt.toISOString(),
    };
  }

  private async own(userId: string, id: string): Promise<CompanionConversation> {
    const conversation = await this.conversations.findOne({ where: { id, userId } });
    if (!conversation) throw conversationNotFound();
    return conversation;
  }

  private toDto(conversation: CompanionConversation): CompanionConversationDto {
    return {
      id: conversation.id,
      title: conversation.title === null ? null : this.encryption.decrypt(conversation.title, titleContext(conversation.id)),
      message_count: conversation.messageCount,
      last_message_at: conversation.lastMessageAt?.toISOString() ?? null,
      created_at: conversation.createdAt.toISOString(),
      updated_at: conversation.updatedAt.toISOString(),
    };
  }
}
