import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { AppConfig } from 'src/config/app-config';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { EntitlementsService } from 'src/modules/payments/entitlements.service';
import { crisisReplyText } from 'src/modules/risk-flags/crisis-reply';
import { RiskFlagsService } from 'src/modules/risk-flags/risk-flags.service';
import type { TextScan } from 'src/modules/risk-flags/risk-flags.types';
import { CrisisDetector } from 'src/modules/safety/crisis-detector';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import type { UserLanguage } from 'src/modules/users/users.types';
import { DataSource, EntityManager } from 'typeorm';
import { conversationNotFound, CompanionConversationsService, messageContext, summaryContext } from './companion-conversations.service';
import { localDateIn, nextLocalMidnight } from 'src/common/time/local-date';
import { CompanionExchangeDto, CompanionMessageDto } from './companion.dto';
import { buildPrompt, foldSummary, PromptMessage } from './companion-prompt';
import { MESSAGES_BETWEEN_SQL, MessageRow, PositionRow, RESERVE_POSITIONS_SQL, SAVE_SUMMARY_SQL, TAKE_QUOTA_SQL } from './companion.sql';
import type { CompanionSender, ReplySource } from './companion.types';
import { CompanionMessage } from './entities/companion-message.entity';
import { CompanionModel, ModelRequest, ModelUnavailableError } from './model/companion-model';
import { OfflineResponder } from './model/offline-responder';

/** A stored user message, and its reply on the way (streamed to the user's sockets meanwhile). */
export interface SentMessage {
  message: CompanionMessageDto;
  reply: Promise<CompanionExchangeDto>;
}

/** What the send transaction stored and read. */
interface Stored {
  message: CompanionMessage;
  /** Within the quota; false: a crisis message over it (stored, answered with the crisis resources only). */
  counted: boolean;
  summary: string | null;
  language: UserLanguage;
}

/** The most characters of a model's reply kept (and streamed); the rest is not read. */
export const MODEL_REPLY_MAX_LENGTH = 8000;

/** A 32-bit FNV-1a hash: stable template choice per conversation. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Sending to the companion: the daily quota, the stored (encrypted) message, the crisis scan,
 * the memory window and its rolling summary, the reply from the model or the offline
 * responder (the crisis resources first when needed), streamed to the user's sockets and
 * stored. The statements are in companion.sql.ts.
 */
@Injectable()
export class CompanionMessagingService {
  private readonly logger = new Logger('Companion');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly encryption: FieldEncryptionService,
    private readonly conversations: CompanionConversationsService,
    private readonly model: CompanionModel,
    private readonly offline: OfflineResponder,
    private readonly risk: RiskFlagsService,
    private readonly detector: CrisisDetector,
    private readonly entitlements: EntitlementsService,
    private readonly directory: UserDirectoryService,
    private readonly realtime: RealtimeServer,
  ) {}

  /** Sends and waits for the whole reply (HTTP). */
  async exchange(userId: string, conversationId: string, text: string): Promise<CompanionExchangeDto> {
    return (await this.send(userId, conversationId, text)).reply;
  }

  /**
   * Stores the message (within the quota) and scans it; the reply is then generated and
   * streamed. Over the quota: 429 and nothing stored, unless the message points to a crisis:
   * then it is stored, uncounted, and answered with the crisis resources alone (no model).
   */
  async send(userId: string, conversationId: string, text: string): Promise<SentMessage> {
    const stored = await this.store(userId, conversationId, text);
    const scan = await this.risk.scanText({ userId, source: 'companion_message', referenceId: stored.message.id, conversationId, text });
    if (scan.assessment.categories.length > 0 || scan.assessment.crisis) {
      stored.message.crisis = scan.assessment.crisis;
      stored.message.keywords = [...scan.assessment.categories];
      await this.dataSource.getRepository(CompanionMessage).update({ id: stored.message.id }, { crisis: stored.message.crisis, keywords: stored.message.keywords });
    }
    const reply = this.reply(userId, stored, text, scan);
    // The HTTP caller awaits it; a socket caller has its ack already: log, never reject unheard.
    reply.catch((error: unknown) => this.logger.error(`companion reply failed: ${error instanceof Error ? error.name : 'unknown error'}`));
    return { message: this.conversations.messageDto(stored.message), reply };
  }

  private async store(userId: string, conversationId: string, text: string): Promise<Stored> {
    const [{ entitlements }, locale] = await Promise.all([this.entitlements.entitlementsOf(userId), this.directory.locale(userId)]);
    const limit = entitlements.companion_daily_messages;
    const now = new Date();
    const memory = this.config.companion.memoryMessages;
    return this.dataSource.transaction(async (em) => {
      // The message and its reply take two adjacent positions; the row stays locked until commit.
      const [reserved] = await em.query<PositionRow[]>(RESERVE_POSITIONS_SQL, [conversationId, userId, 2]);
      if (!reserved) throw conversationNotFound();
      const counted = (await em.query<unknown[]>(TAKE_QUOTA_SQL, [userId, localDateIn(now, locale.timeZone), limit])).length > 0;
      if (!counted && !this.detector.assess(text).crisis) {
        const resetsAt = nextLocalMidnight(now, locale.timeZone);
        throw new AppException(
          'COMPANION.QUOTA_EXCEEDED',
          `You have used today's ${limit} companion messages; the quota resets at ${resetsAt.toISOString()} (midnight in ${locale.timeZone}).`,
          {},
          { 'retry-after': String(Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000))) },
        );
      }
      const position = reserved.message_count - 1;
      const id = randomUUID();
      const message = em.getRepository(CompanionMessage).create({
        id,
        conversationId,
        position,
        sender: 'user',
        text: this.encryption.encrypt(text, messageContext(id)),
        source: null,
        crisis: false,
        keywords: [],
      });
      await em.getRepository(CompanionMessage).insert(message);
      const summary = await this.foldLeaving(em, conversationId, reserved, position - memory);
      return { message, counted, summary, language: locale.language };
    });
  }

  /** Folds the messages that left the memory window (positions up to `through`) into the summary; returns the summary, decrypted. */
  private async foldLeaving(em: EntityManager, conversationId: string, reserved: PositionRow, through: number): Promise<string | null> {
    const previous = reserved.summary === null ? null : this.encryption.decrypt(reserved.summary, summaryContext(conversationId));
    if (through <= reserved.summarized_through) return previous;
    const leaving = await em.query<MessageRow[]>(MESSAGES_BETWEEN_SQL, [conversationId, reserved.summarized_through, through]);
    const summary = foldSummary(previous, leaving.map((row) => this.decrypted(row)));
    await em.query(SAVE_SUMMARY_SQL, [conversationId, summary === null ? null : this.encryption.encrypt(summary, summaryContext(conversationId)), through]);
    return summary;
  }

  /** Generates the reply, streaming each piece to the user's sockets, then stores it and announces it whole. */
  private async reply(userId: string, stored: Stored, text: string, scan: TextScan): Promise<CompanionExchangeDto> {
    const { message, language } = stored;
    const replyId = randomUUID();
    const pieces: string[] = [];
    const emit = (piece: string): void => {
      this.realtime.toUsers([userId], 'companion_reply_chunk', { conversation_id: message.conversationId, message_id: replyId, index: pieces.length, text: piece });
      pieces.push(piece);
    };
    const crisis = scan.assessment.crisis;
    if (crisis && scan.support) emit(crisisReplyText(scan.support, language));
    let sender: CompanionSender = 'assistant';
    let source: ReplySource;
    if (!stored.counted) {
      // A crisis over the quota: the resources alone, from Haven, without a model call.
      sender = 'system';
      source = 'offline';
      if (pieces.length === 0) for (const piece of this.offline.pieces(await this.request(message, text, language, crisis, stored.summary))) emit(piece);
    } else {
      source = await this.generate(await this.request(message, text, language, crisis, stored.summary), pieces.length > 0, emit);
    }
    const created = await this.storeReply(message, replyId, sender, source, pieces.join(''));
    const exchange: CompanionExchangeDto = {
      conversation_id: message.conversationId,
      user_message_id: message.id,
      user_message: text,
      ai_message_id: replyId,
      ai_response: pieces.join(''),
      ai_sender: sender,
      source,
      crisis,
      keywords_detected: [...message.keywords],
      created_at: created.toISOString(),
    };
    this.realtime.toUsers([userId], 'companion_reply', exchange);
    return exchange;
  }

  /** Streams the model's reply through `emit`; on failure the offline responder finishes it, after a short note. */
  private async generate(request: ModelRequest, afterCrisisText: boolean, emit: (piece: string) => void): Promise<ReplySource> {
    let emitted = afterCrisisText;
    // The model's reply follows the crisis text after a blank line.
    let separator = afterCrisisText ? '\n\n' : '';
    let length = 0;
    try {
      for await (const piece of this.model.stream(request)) {
        const kept = piece.slice(0, MODEL_REPLY_MAX_LENGTH - length);
        if (!kept) continue;
        emit(`${separator}${kept}`);
        separator = '';
        emitted = true;
        length += kept.length;
        // Leaving the loop ends the model's request.
        if (length >= MODEL_REPLY_MAX_LENGTH) break;
      }
      return this.model.source;
    } catch (error) {
      if (!(error instanceof ModelUnavailableError)) throw error;
      // Whatever already streamed stays: the stored reply is exactly the pieces sent.
      emit(`${emitted ? '\n\n' : ''}${this.offline.fallbackNote(request.language)}`);
      for (const piece of this.offline.pieces(request)) emit(piece.startsWith(' ') ? piece : ` ${piece}`);
      return 'offline_fallback';
    }
  }

  /** The prompt: the memory window (positions after `position - memoryMessages`, through this message) and the summary. */
  private async request(message: CompanionMessage, text: string, language: UserLanguage, crisis: boolean, summary: string | null): Promise<ModelRequest> {
    const from = message.position - this.config.companion.memoryMessages;
    const rows = await this.dataSource.query<MessageRow[]>(MESSAGES_BETWEEN_SQL, [message.conversationId, from, message.position]);
    return {
      messages: buildPrompt(rows.map((row) => this.decrypted(row)), summary, language, crisis),
      text,
      language,
      seed: hash(message.conversationId) + message.position,
      crisis,
    };
  }

  private async storeReply(message: CompanionMessage, id: string, sender: CompanionSender, source: ReplySource, text: string): Promise<Date> {
    const repository = this.dataSource.getRepository(CompanionMessage);
    const reply = repository.create({
      id,
      conversationId: message.conversationId,
      position: message.position + 1,
      sender,
      text: this.encryption.encrypt(text, messageContext(id)),
      source,
      crisis: message.crisis,
      keywords: [...message.keywords],
    });
    await repository.insert(reply);
    return reply.createdAt;
  }

  private decrypted(row: MessageRow): PromptMessage {
    return { sender: row.sender as CompanionSender, text: this.encryption.decrypt(row.text, messageContext(row.id)) };
  }
}
