import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Role } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { violatedConstraint } from 'src/infrastructure/database/hot-queries.service';
import { AuditService } from 'src/modules/audit/audit.service';
import { ChatMembershipService } from 'src/modules/chat/chat-membership.service';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UserCard, UserStatus } from 'src/modules/users/users.types';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { CareGrant } from './care-grant.entity';
import { CareGrantDto, CareGrantListQueryDto, CreateCareGrantDto, UpdateCareGrantDto } from './care-team.dto';
import { CareScope } from './care-team.types';

/** Sorting of grant lists. */
export const CARE_GRANTS_ORDERING = {
  orderable: { created_at: 'g.createdAt' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

const grantNotFound = (): AppException => new AppException('CARE.GRANT_NOT_FOUND', 'No such grant.');

/** A therapist who may be granted access: verified, active, and the role therapist (friends are peers, not clinicians). */
const isActiveTherapist = (card: UserCard | null): card is UserCard =>
  card !== null && card.role === Role.Therapist && card.isVerified && card.status === UserStatus.Active;

const summary = (card: UserCard | undefined, id: string) => ({
  id,
  first_name: card?.firstName ?? '',
  last_name: card?.lastName ?? '',
  role: card?.role ?? Role.Client,
});

/**
 * Care-team sharing: a client grants a therapist they chat with read access to their mood
 * log, goals, screeners or alarms. The grant is the one rule every feature asks
 * (`authorizeSharedRead`), it takes effect and ends at once (no cache), and every read it
 * allows is written to the audit log.
 */
@Injectable()
export class CareTeamService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(CareGrant) private readonly grants: Repository<CareGrant>,
    private readonly directory: UserDirectoryService,
    private readonly chats: ChatMembershipService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Whether `viewer` is an active, verified therapist holding a grant from `clientId` that
   * covers `scope`; when it is, the read is audited before the caller reads. False means the
   * caller answers 404, exactly as for an unknown id.
   */
  async authorizeSharedRead(viewer: Principal, clientId: string, scope: CareScope, what: string, context: RequestContext): Promise<boolean> {
    if (viewer.role !== Role.Therapist || !viewer.isVerified || viewer.userId === clientId) return false;
    const grant = await this.grants
      .createQueryBuilder('g')
      .select('g.id')
      .where('g.clientId = :clientId AND g.therapistId = :therapistId AND g.revokedAt IS NULL', { clientId, therapistId: viewer.userId })
      .andWhere(':scope = ANY(g.scopes)', { scope })
      .getOne();
    if (!grant) return false;
    await this.audit.record(
      { action: 'care.shared_data_read', actorId: viewer.userId, targetType: 'user', targetId: clientId, detail: { scope, what, grant_id: grant.id } },
      context,
    );
    return true;
  }

  /** The active, verified therapists holding a grant from the client that covers `scope` (any grant, without one). */
  async careTeamOf(clientId: string, scope?: CareScope): Promise<string[]> {
    const builder = this.grants.createQueryBuilder('g').select('g.therapistId', 'therapistId').where('g.clientId = :clientId AND g.revokedAt IS NULL', { clientId });
    if (scope) builder.andWhere(':scope = ANY(g.scopes)', { scope });
    const rows = await builder.getRawMany<{ therapistId: string }>();
    const cards = await this.directory.findMany(rows.map((r) => r.therapistId));
    return cards.filter(isActiveTherapist).map((c) => c.id);
  }

  /** Whom a client's crisis concerns: active, verified therapists holding any grant from them or sharing a direct chat with them. */
  async crisisTeamOf(clientId: string): Promise<string[]> {
    const [granted, partners] = await Promise.all([this.careTeamOf(clientId), this.chats.directChatPartnerIds(clientId)]);
    const cards = await this.directory.findMany(partners);
    return [...new Set([...granted, ...cards.filter(isActiveTherapist).map((c) => c.id)])];
  }

  /** A client shares with a verified therapist they have a direct chat with. One active grant per pair. */
  async grant(principal: Principal, dto: CreateCareGrantDto, context: RequestContext): Promise<CareGrantDto> {
    this.assertClient(principal);
    const therapist = await this.directory.find(dto.therapist_id);
    if (!isActiveTherapist(therapist) || !(await this.chats.directChatBetween(principal.userId, therapist.id))) {
      throw AppException.validation('therapist_id', 'therapist_id must be a verified therapist you have a direct chat with');
    }
    const grant = await this.dataSource.transaction(async (manager) => {
      let saved: CareGrant;
      try {
        saved = await manager.save(manager.create(CareGrant, { clientId: principal.userId, therapistId: therapist.id, scopes: dto.scopes }));
      } catch (error) {
        if (violatedConstraint(error) === 'uq_care_grants_active_pair') {
          throw new AppException('CARE.GRANT_EXISTS', 'You already share with this therapist: change that grant’s scopes instead.');
        }
        throw error;
      }
      await this.audit.record(
        { action: 'care.grant_created', actorId: principal.userId, targetType: 'care_grant', targetId: saved.id, detail: { therapist_id: therapist.id, scopes: dto.scopes } },
        context,
        manager,
      );
      return saved;
    });
    return this.toDtos([grant]).then(([dto]) => dto);
  }

  /** The caller's grants: a client's own, or for a therapist the ones made to them. */
  async list(principal: Principal, side: 'client' | 'therapist', query: CareGrantListQueryDto): Promise<Paginated<CareGrantDto>> {
    const builder = this.grants.createQueryBuilder('g').where(side === 'client' ? 'g.clientId = :me' : 'g.therapistId = :me', { me: principal.userId });
    if (query.active === true) builder.andWhere('g.revokedAt IS NULL');
    if (query.active === false) builder.andWhere('g.revokedAt IS NOT NULL');
    const page = await paginate(builder, query, { ...CARE_GRANTS_ORDERING, dateColumn: 'g.createdAt', tieBreaker: 'g.id' });
    return new Paginated(await this.toDtos(page.items), page.count, page.page, page.pageSize);
  }

  /** One grant the caller made or received. */
  async get(principal: Principal, id: string): Promise<CareGrantDto> {
    const grant = await this.grants.findOneBy({ id });
    if (!grant || (grant.clientId !== principal.userId && grant.therapistId !== principal.userId)) throw grantNotFound();
    return this.toDtos([grant]).then(([dto]) => dto);
  }

  /** The client changes what an active grant covers; takes effect on the next read. */
  async update(principal: Principal, id: string, dto: UpdateCareGrantDto, context: RequestContext): Promise<CareGrantDto> {
    const grant = await this.dataSource.transaction(async (manager) => {
      const found = await this.lockOwnActive(principal, id, manager);
      found.scopes = dto.scopes;
      found.updatedAt = new Date();
      await manager.save(found);
      await this.audit.record(
        { action: 'care.grant_changed', actorId: principal.userId, targetType: 'care_grant', targetId: found.id, detail: { scopes: dto.scopes } },
        context,
        manager,
      );
      return found;
    });
    return this.toDtos([grant]).then(([result]) => result);
  }

  /** The client ends a grant; the therapist's next read is a 404. */
  async revoke(principal: Principal, id: string, context: RequestContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const found = await this.lockOwnActive(principal, id, manager);
      found.revokedAt = new Date();
      await manager.save(found);
      await this.audit.record({ action: 'care.grant_revoked', actorId: principal.userId, targetType: 'care_grant', targetId: found.id }, context, manager);
    });
  }

  private assertClient(principal: Principal): void {
    if (principal.role !== Role.Client) throw new AppException('CARE.CLIENTS_ONLY', 'Only clients share their own care data.');
  }

  private async lockOwnActive(principal: Principal, id: string, manager: EntityManager): Promise<CareGrant> {
    const found = await manager.findOne(CareGrant, { where: { id, clientId: principal.userId }, lock: { mode: 'pessimistic_write' } });
    if (!found || found.revokedAt) throw grantNotFound();
    return found;
  }

  private async toDtos(grants: CareGrant[]): Promise<CareGrantDto[]> {
    const cards = new Map((await this.directory.findMany(grants.flatMap((g) => [g.clientId, g.therapistId]))).map((c) => [c.id, c]));
    return grants.map((g) => ({
      id: g.id,
      client: summary(cards.get(g.clientId), g.clientId),
      therapist: summary(cards.get(g.therapistId), g.therapistId),
      scopes: g.scopes,
      active: g.revokedAt === null,
      created_at: g.createdAt.toISOString(),
      updated_at: g.updatedAt?.toISOString() ?? null,
      revoked_at: g.revokedAt?.toISOString() ?? null,
    }));
  }
}
