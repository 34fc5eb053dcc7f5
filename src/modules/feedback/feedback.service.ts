import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { hasPermission, Permission } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { violatedConstraint } from 'src/infrastructure/database/hot-queries.service';
import { ProviderProfilesService } from 'src/modules/providers/provider-profiles.service';
import { SessionsService } from 'src/modules/sessions/sessions.service';
import { SessionStatus } from 'src/modules/sessions/sessions.types';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { ONE_FEEDBACK_PER_SESSION, SessionFeedback } from './entities/session-feedback.entity';
import { CreateFeedbackDto, FeedbackDto, FeedbackListQueryDto } from './feedback.dto';
import { ArchiveSection } from 'src/modules/users/personal-data';

/** Sorting of feedback lists. */
export const FEEDBACK_ORDERING = {
  orderable: { created_at: 'f.createdAt', rating: 'f.rating' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

const commentContext = (feedbackId: string): string => `session_feedback.comment:${feedbackId}`;

/**
 * HumanLink feedback: the client of a completed session rates it once (1–5, comment,
 * categories); the provider's rating moves in the same transaction. Providers read the
 * feedback on their sessions, clients the feedback they gave, staff with sessions:oversee all.
 */
@Injectable()
export class FeedbackService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(SessionFeedback) private readonly feedback: Repository<SessionFeedback>,
    private readonly sessions: SessionsService,
    private readonly providers: ProviderProfilesService,
    private readonly cipher: FieldEncryptionService,
  ) {}

  /** Feedback the user gave (as client) or received (as provider), comments decrypted, for their archive. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const feedback = await manager.find(SessionFeedback, { where: [{ clientId: userId }, { providerId: userId }], order: { createdAt: 'ASC', id: 'ASC' } });
    return feedback.length ? { feedback: feedback.map((f) => this.toDto(f)) } : null;
  }

  async create(principal: Principal, dto: CreateFeedbackDto): Promise<FeedbackDto> {
    try {
      const saved = await this.dataSource.transaction(async (manager) => {
        const session = await this.sessions.sessionForFeedback(dto.session_id, principal.userId, manager);
        if (!session) throw new AppException('FEEDBACK.SESSION_NOT_FOUND', 'Session not found.');
        if (session.status !== SessionStatus.Completed) {
          throw new AppException('FEEDBACK.SESSION_NOT_COMPLETED', `Feedback is for completed sessions; this one is ${session.status}.`);
        }
        const id = randomUUID();
        const comment = dto.comment?.trim();
        const row = manager.create(SessionFeedback, {
          id,
          sessionId: session.id,
          clientId: session.clientId,
          providerId: session.providerId,
          rating: dto.rating,
          categories: dto.categories ?? [],
          commentEncrypted: comment ? this.cipher.encrypt(comment, commentContext(id)) : null,
        });
        await manager.save(row);
        // One UPDATE on the profile row: concurrent feedback queues on its lock, so the count and average stay exact.
        await this.providers.recordRating(session.providerId, dto.rating, manager);
        return row;
      });
      return this.toDto(saved);
    } catch (error) {
      if (violatedConstraint(error) === ONE_FEEDBACK_PER_SESSION) throw new AppException('FEEDBACK.ALREADY_GIVEN', 'You already gave feedback on this session.');
      throw error;
    }
  }

  async list(principal: Principal, query: FeedbackListQueryDto): Promise<Paginated<FeedbackDto>> {
    const builder = this.feedback.createQueryBuilder('f');
    if (hasPermission(principal, Permission.SessionsOversee)) builder.where('TRUE');
    else builder.where('(f.providerId = :me OR f.clientId = :me)', { me: principal.userId });
    if (query.session_id) builder.andWhere('f.sessionId = :sessionId', { sessionId: query.session_id });
    if (query.rating_min !== undefined) builder.andWhere('f.rating >= :ratingMin', { ratingMin: query.rating_min });
    if (query.provider_id) builder.andWhere('f.providerId = :providerId', { providerId: query.provider_id });
    const page = await paginate(builder, query, { ...FEEDBACK_ORDERING, dateColumn: 'f.createdAt', tieBreaker: 'f.id' });
    return page.map((f) => this.toDto(f));
  }

  async get(principal: Principal, id: string): Promise<FeedbackDto> {
    const found = await this.feedback.findOneBy({ id });
    const visible =
      found && (found.providerId === principal.userId || found.clientId === principal.userId || hasPermission(principal, Permission.SessionsOversee));
    if (!found || !visible) throw new AppException('FEEDBACK.NOT_FOUND', 'Feedback not found.');
    return this.toDto(found);
  }

  private toDto(f: SessionFeedback): FeedbackDto {
    return {
      id: f.id,
      session_id: f.sessionId,
      provider_id: f.providerId,
      client_id: f.clientId,
      rating: f.rating,
      comment: f.commentEncrypted ? this.cipher.decrypt(f.commentEncrypted, commentContext(f.id)) : null,
      categories: f.categories,
      created_at: f.createdAt.toISOString(),
    };
  }
}
