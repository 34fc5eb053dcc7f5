import { oneOfAliases } from 'src/common/validation/aliases';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { hasPermission, isVerifiedProvider, Permission, Role } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UserStatus } from 'src/modules/users/users.types';
import { QueryFailedError, Repository } from 'typeorm';
import { Match } from './entities/match.entity';
import { MatchScoringService } from './match-scoring.service';
import { MatchViews } from './match-views';
import { CreateMatchDto, MatchDto, MatchListQueryDto } from './matching.dto';
import { MatchStatus } from './matching.types';

/** Sorting of match lists. */
export const MATCHES_ORDERING = {
  orderable: { created_at: 'm.createdAt', compatibility_score: 'm.score' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

const notFound = (): AppException => new AppException('MATCHING.NOT_FOUND', 'Match not found.');

/**
 * Matches between clients and providers. Staff (matches:manage) make and remove them and
 * see all; otherwise a match exists only for its client and its provider (another
 * user's match is a 404). Only the client answers a pending match.
 */
@Injectable()
export class MatchesService {
  constructor(
    @InjectRepository(Match) private readonly matches: Repository<Match>,
    private readonly users: UserDirectoryService,
    private readonly scoring: MatchScoringService,
    private readonly views: MatchViews,
    private readonly notifications: NotificationsService,
  ) {}

  async create(principal: Principal, dto: CreateMatchDto): Promise<MatchDto> {
    const providerId = oneOfAliases(
      [
        ['friend_id', dto.friend_id],
        ['provider_id', dto.provider_id],
      ],
      'friend_id',
    );
    if (providerId === dto.client_id) throw AppException.validation('friend_id', 'friend_id must differ from client_id');
    const [client, provider] = await Promise.all([this.users.find(dto.client_id), this.users.find(providerId)]);
    if (!client || client.status !== UserStatus.Active || client.role !== Role.Client) {
      throw AppException.validation('client_id', 'client_id must be an active client');
    }
    if (!provider || provider.status !== UserStatus.Active || !isVerifiedProvider(provider)) {
      throw AppException.validation('friend_id', 'friend_id must be a verified, active therapist or friend');
    }
    let match: Match;
    try {
      match = await this.matches.save(this.matches.create({ clientId: client.id, providerId: provider.id, status: MatchStatus.Pending, createdById: principal.userId }));
    } catch (error) {
      if (isOpenPairConflict(error)) throw new AppException('MATCHING.ALREADY_MATCHED', 'This client and provider already have an open match.');
      throw error;
    }
    await this.scoring.scheduleScore(match.id);
    return this.views.toDto(match);
  }

  async list(principal: Principal, query: MatchListQueryDto): Promise<Paginated<MatchDto>> {
    const builder = this.matches.createQueryBuilder('m');
    if (!hasPermission(principal, Permission.MatchesManage)) builder.where('(m.clientId = :me OR m.providerId = :me)', { me: principal.userId });
    if (query.status) builder.andWhere('m.status = :status', { status: query.status });
    if (query.compatibility_score_min !== undefined) builder.andWhere('m.score >= :min', { min: query.compatibility_score_min });
    const page = await paginate(builder, query, { ...MATCHES_ORDERING, dateColumn: 'm.createdAt', tieBreaker: 'm.id' });
    return new Paginated(await this.views.toDtos(page.items), page.count, page.page, page.pageSize);
  }

  async get(principal: Principal, matchId: string): Promise<MatchDto> {
    return this.views.toDto(await this.visible(principal, matchId));
  }

  async remove(principal: Principal, matchId: string): Promise<void> {
    const match = await this.visible(principal, matchId);
    const dto = await this.views.toDto(match);
    const result = await this.matches.delete({ id: match.id });
    if (!result.affected) throw notFound();
    this.views.publish('removed', dto);
  }

  accept(principal: Principal, matchId: string): Promise<MatchDto> {
    return this.answer(principal, matchId, MatchStatus.Accepted);
  }

  decline(principal: Principal, matchId: string): Promise<MatchDto> {
    return this.answer(principal, matchId, MatchStatus.Declined);
  }

  /** The client accepts or declines a pending match; the provider is told. */
  private async answer(principal: Principal, matchId: string, status: MatchStatus.Accepted | MatchStatus.Declined): Promise<MatchDto> {
    const match = await this.visible(principal, matchId);
    if (match.clientId !== principal.userId) throw new AppException('MATCHING.CLIENT_ONLY', 'Only the client of a match accepts or declines it.');
    // Conditional on `pending`, so two answers racing cannot both win.
    const result = await this.matches.update({ id: match.id, status: MatchStatus.Pending }, { status });
    if (!result.affected) throw new AppException('MATCHING.NOT_PENDING', `Only a pending match can be answered; this one is ${match.status}.`);
    const dto = await this.views.toDto((await this.matches.findOneBy({ id: match.id }))!);
    await this.notifications.notifyUsers([match.providerId], {
      title: status === MatchStatus.Accepted ? 'Match accepted' : 'Match declined',
      message: `${dto.client.name || 'Your client'} ${status} your match.`,
      type: NotificationType.System,
      relatedId: match.id,
    });
    this.views.publish(status, dto);
    return dto;
  }

  /** The match when the caller may see it: staff, its client or its provider; 404 otherwise. */
  private async visible(principal: Principal, matchId: string): Promise<Match> {
    const match = await this.matches.findOneBy({ id: matchId });
    if (!match) throw notFound();
    const mine = match.clientId === principal.userId || match.providerId === principal.userId;
    if (!mine && !hasPermission(principal, Permission.MatchesManage)) throw notFound();
    return match;
  }
}

function isOpenPairConflict(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === 'ux_matches_open_pair';
}
