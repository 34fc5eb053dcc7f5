import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import type { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { AuditService } from 'src/modules/audit/audit.service';
import { CareTeamService } from 'src/modules/care-team/care-team.service';
import { CareScope } from 'src/modules/care-team/care-team.types';
import { RiskFlagsService } from 'src/modules/risk-flags/risk-flags.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { SafetySignal } from './entities/safety-signal.entity';
import { ScreenerResponse } from './entities/screener-response.entity';
import { ANSWER_OPTIONS, Instrument, INSTRUMENTS, SAFETY_SUPPORT_MESSAGE } from './instruments';
import { scoreScreener } from './scoring';
import { SafetySignalDto, SafetySignalQueryDto, ScreenerDto, ScreenerResponseDto, ScreenerResponseQueryDto, SubmitScreenerDto } from './screeners.dto';
import { ANSWER_MAX, SafetySignalKind } from './screeners.types';
import { ArchiveSection } from 'src/modules/users/personal-data';

/** Sorting of screener histories. */
export const SCREENER_RESPONSES_ORDERING = {
  orderable: { created_at: 'r.createdAt', total_score: 'r.totalScore' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

/** Sorting of the staff list of safety signals. */
export const SAFETY_SIGNALS_ORDERING = {
  orderable: { created_at: 's.createdAt' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

const notFound = (): AppException => new AppException('SCREENERS.NOT_FOUND', 'Screener response not found.');

const SIGNAL_TITLE = 'Safety check-in needed';

/**
 * PHQ-9 and GAD-7: the questionnaires, scored answers and their history, scoped to their
 * owner (another user's id answers SCREENERS.NOT_FOUND). A PHQ-9 item 9 answer above 0
 * stores a safety signal, audits it and tells staff and the user's care team (who, not
 * what: no answer or score in the text), all in the transaction that stores the answers.
 */
@Injectable()
export class ScreenersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ScreenerResponse) private readonly responses: Repository<ScreenerResponse>,
    @InjectRepository(SafetySignal) private readonly signals: Repository<SafetySignal>,
    private readonly directory: UserDirectoryService,
    private readonly careTeam: CareTeamService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly risk: RiskFlagsService,
  ) {}

  /** The user's screener answers, scores and safety signals, for their archive. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const responses = await manager.find(ScreenerResponse, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
    if (responses.length === 0) return null;
    const flagged = new Set((await manager.find(SafetySignal, { where: { userId }, select: { screenerResponseId: true } })).map((s) => s.screenerResponseId));
    return { responses: responses.map((r) => this.toDto(r, flagged.has(r.id))) };
  }

  instruments(): ScreenerDto[] {
    return [...INSTRUMENTS.values()].map((instrument) => ({
      id: instrument.id,
      name: instrument.name,
      title: instrument.title,
      question: instrument.question,
      items: instrument.items.map((text, index) => ({ number: index + 1, text })),
      answer_options: ANSWER_OPTIONS.map((option) => ({ ...option })),
      max_score: instrument.items.length * ANSWER_MAX,
      severity_bands: instrument.bands.map((band) => ({ min_score: band.min, max_score: band.max, severity: band.severity })),
    }));
  }

  async submit(userId: string, instrument: Instrument, dto: SubmitScreenerDto, context: RequestContext): Promise<ScreenerResponseDto> {
    if (dto.answers.length !== instrument.items.length) {
      throw AppException.validation('answers', `answers must hold exactly ${instrument.items.length} answers for ${instrument.name}`);
    }
    const score = scoreScreener(instrument.id, dto.answers);
    const alert = score.safetySignal ? { recipients: await this.signalRecipients(userId), message: await this.signalMessage(userId) } : null;
    const response = await this.dataSource.transaction(async (manager) => {
      const stored = await manager.save(
        manager.create(ScreenerResponse, { userId, instrument: instrument.id, answers: [...dto.answers], totalScore: score.totalScore, severity: score.severity }),
      );
      if (alert) {
        const signal = await manager.save(manager.create(SafetySignal, { userId, screenerResponseId: stored.id, kind: SafetySignalKind.Phq9Item9 }));
        await this.audit.record(
          {
            action: 'safety.signal_raised',
            actorId: userId,
            targetType: 'safety_signal',
            targetId: signal.id,
            detail: { kind: signal.kind, screener_response_id: stored.id },
          },
          context,
          manager,
        );
        // Last: it also pushes the notifications live, and nothing after it can fail the transaction.
        await this.notifications.notifyUsers(
          alert.recipients,
          { title: SIGNAL_TITLE, message: alert.message, type: NotificationType.SafetySignal, relatedId: stored.id },
          manager,
        );
      }
      return stored;
    });
    // Item 9 raises a risk flag directly: staff and the care team were told above, in the screener's words; the flag re-escalates until acknowledged.
    if (score.safetySignal) {
      await this.risk.raiseWithoutPaging({ userId, source: 'screener_response', referenceId: response.id, categories: ['suicidal_ideation'], confidence: 1 });
    }
    return this.toDto(response, score.safetySignal);
  }

  async history(userId: string, query: ScreenerResponseQueryDto): Promise<Paginated<ScreenerResponseDto>> {
    const builder = this.responses.createQueryBuilder('r').where('r.userId = :userId', { userId });
    if (query.instrument) builder.andWhere('r.instrument = :instrument', { instrument: query.instrument });
    const page = await paginate(builder, query, { ...SCREENER_RESPONSES_ORDERING, dateColumn: 'r.createdAt', tieBreaker: 'r.id' });
    const flagged = await this.flaggedAmong(page.items.map((r) => r.id));
    return page.map((r) => this.toDto(r, flagged.has(r.id)));
  }

  async get(userId: string, responseId: string): Promise<ScreenerResponseDto> {
    const response = await this.responses.findOneBy({ id: responseId, userId });
    if (!response) throw notFound();
    return this.toDto(response, (await this.flaggedAmong([response.id])).has(response.id));
  }

  /** A client's screener history, for a care-team therapist they granted the screeners scope. */
  async sharedHistory(viewer: Principal, clientId: string, query: ScreenerResponseQueryDto, context: RequestContext): Promise<Paginated<ScreenerResponseDto>> {
    if (!(await this.careTeam.authorizeSharedRead(viewer, clientId, CareScope.Screeners, 'screener_responses', context))) throw notFound();
    return this.history(clientId, query);
  }

  /** Staff: every safety signal, newest first, with who and when but never the answers. */
  async listSignals(query: SafetySignalQueryDto): Promise<Paginated<SafetySignalDto>> {
    const builder = this.signals.createQueryBuilder('s');
    if (query.user_id) builder.where('s.userId = :userId', { userId: query.user_id });
    const page = await paginate(builder, query, { ...SAFETY_SIGNALS_ORDERING, dateColumn: 's.createdAt', tieBreaker: 's.id' });
    const users = new Map((await this.directory.findMany(page.items.map((s) => s.userId))).map((u) => [u.id, u]));
    return page.map((s) => {
      const user = users.get(s.userId);
      return {
        id: s.id,
        kind: s.kind,
        user: { id: s.userId, first_name: user?.firstName ?? '', last_name: user?.lastName ?? '' },
        screener_response_id: s.screenerResponseId,
        created_at: s.createdAt.toISOString(),
      };
    });
  }

  /** Active staff and the user's care team for screeners; never the user themselves. */
  private async signalRecipients(userId: string): Promise<string[]> {
    const [staff, team] = await Promise.all([this.directory.activeStaffIds(), this.careTeam.careTeamOf(userId, CareScope.Screeners)]);
    return [...new Set([...staff, ...team])].filter((id) => id !== userId);
  }

  /** Who needs a check-in, by first name only: the text never carries answers or scores. */
  private async signalMessage(userId: string): Promise<string> {
    const firstName = (await this.directory.find(userId))?.firstName.trim();
    return `A screener answer from ${firstName || 'a user'} needs a check-in.`;
  }

  private async flaggedAmong(responseIds: string[]): Promise<Set<string>> {
    if (responseIds.length === 0) return new Set();
    const rows = await this.signals.find({ where: { screenerResponseId: In(responseIds) }, select: { screenerResponseId: true } });
    return new Set(rows.map((r) => r.screenerResponseId));
  }

  private toDto(response: ScreenerResponse, safetySignal: boolean): ScreenerResponseDto {
    const definition = INSTRUMENTS.get(response.instrument);
    return {
      id: response.id,
      instrument: response.instrument,
      answers: response.answers.map(Number),
      total_score: response.totalScore,
      max_score: (definition?.items.length ?? 0) * ANSWER_MAX,
      severity: response.severity,
      safety_signal: safetySignal,
      support_message: safetySignal ? SAFETY_SUPPORT_MESSAGE : null,
      created_at: response.createdAt.toISOString(),
    };
  }
}
