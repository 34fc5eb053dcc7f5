import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Role } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { violatedConstraint } from 'src/infrastructure/database/hot-queries.service';
import { AuditService } from 'src/modules/audit/audit.service';
import { CareTeamService } from 'src/modules/care-team/care-team.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { SafetyPlanVersion } from './entities/safety-plan-version.entity';
import { SafetyPlanDto, SafetyPlanVersionSummaryDto, SaveSafetyPlanDto } from './safety-plans.dto';
import type { SafetyPlanSections, SafetyPlanView } from './safety-plans.types';
import { ArchiveSection } from 'src/modules/users/personal-data';

/** Sorting of a plan's history. */
export const SAFETY_PLAN_VERSIONS_ORDERING = {
  orderable: { version: 'v.version' },
  defaultOrdering: '-version',
} satisfies ListOrdering;

const UNIQUE_VERSION = 'uq_safety_plan_versions_user_version';

const notFound = (): AppException => new AppException('SAFETYPLANS.NOT_FOUND', 'Safety plan not found.');
const conflict = (): AppException =>
  new AppException('SAFETYPLANS.VERSION_CONFLICT', 'The plan was changed since the version you started from: reload it and apply your changes again.', {
    base_version: ['base_version is not the current version of the plan'],
  });

/** Associated data of a version's ciphertext: it decrypts only in its own row. */
const contentContext = (row: Pick<SafetyPlanVersion, 'id' | 'userId' | 'version'>): string => `safety-plan:${row.id}:${row.userId}:${row.version}`;

const emptySections = (): SafetyPlanSections => ({
  warning_signs: [],
  internal_coping_strategies: [],
  distraction_people_and_places: [],
  people_to_ask_for_help: [],
  professionals_and_agencies: [],
  making_environment_safe: [],
  reasons_for_living: [],
});

/** What is stored: every section present, contacts with an explicit phone. */
function sectionsOf(dto: SaveSafetyPlanDto): SafetyPlanSections {
  const contacts = (list: SaveSafetyPlanDto['people_to_ask_for_help']) => (list ?? []).map((c) => ({ name: c.name, phone: c.phone ?? null }));
  return {
    warning_signs: dto.warning_signs ?? [],
    internal_coping_strategies: dto.internal_coping_strategies ?? [],
    distraction_people_and_places: dto.distraction_people_and_places ?? [],
    people_to_ask_for_help: contacts(dto.people_to_ask_for_help),
    professionals_and_agencies: contacts(dto.professionals_and_agencies),
    making_environment_safe: dto.making_environment_safe ?? [],
    reasons_for_living: dto.reasons_for_living ?? [],
  };
}

/**
 * Safety plans, after Stanley–Brown: written by the user and their therapist together.
 * Every save is a new version (never an update), checked against the version the writer
 * started from; the unique (user, version) pair decides between two saves from the same
 * base. The sections are one JSON document encrypted at rest per version. A therapist
 * reads and writes a client's plan while holding any active care-team grant from them;
 * each of their reads and every write is audited, and the other side is notified.
 */
@Injectable()
export class SafetyPlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(SafetyPlanVersion) private readonly versions: Repository<SafetyPlanVersion>,
    private readonly encryption: FieldEncryptionService,
    private readonly careTeam: CareTeamService,
    private readonly notifications: NotificationsService,
    private readonly directory: UserDirectoryService,
    private readonly auditLog: AuditService,
  ) {}

  /** Every version of the user's safety plan (decrypted), for their archive. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const versions = await manager.find(SafetyPlanVersion, { where: { userId }, order: { version: 'ASC' } });
    return versions.length ? { versions: versions.map((v) => this.toDto(userId, v)) } : null;
  }

  /** The user's current plan (null when they have none): what crisis support shows them. */
  async currentFor(userId: string): Promise<SafetyPlanView | null> {
    const row = await this.current(userId);
    if (!row) return null;
    return { user_id: row.userId, version: row.version, updated_by: row.updatedBy, updated_at: row.createdAt.toISOString(), ...this.decrypt(row) };
  }

  /** The caller's own plan; version 0 (empty) when they have none yet. */
  async getOwn(userId: string): Promise<SafetyPlanDto> {
    return this.toDto(userId, await this.current(userId));
  }

  async saveOwn(principal: Principal, dto: SaveSafetyPlanDto, context: RequestContext): Promise<SafetyPlanDto> {
    return this.save(principal, principal.userId, dto, context);
  }

  /** The caller's plan history, newest first by default (without the sections). */
  async history(userId: string, query: PaginationQueryDto): Promise<Paginated<SafetyPlanVersionSummaryDto>> {
    const builder = this.versions
      .createQueryBuilder('v')
      .select(['v.id', 'v.version', 'v.updatedBy', 'v.createdAt'])
      .where('v.userId = :userId', { userId });
    const page = await paginate(builder, query, { ...SAFETY_PLAN_VERSIONS_ORDERING, dateColumn: 'v.createdAt', tieBreaker: 'v.id' });
    return page.map((row) => ({ version: row.version, updated_by: row.updatedBy, updated_at: row.createdAt.toISOString() }));
  }

  /** One version of the caller's plan. */
  async getOwnVersion(userId: string, version: number): Promise<SafetyPlanDto> {
    const row = await this.versions.findOneBy({ userId, version });
    if (!row) throw notFound();
    return this.toDto(userId, row);
  }

  /** A client's current plan, for a therapist they granted care-team access (audited); 404 otherwise. */
  async getForClient(principal: Principal, clientId: string, context: RequestContext): Promise<SafetyPlanDto> {
    await this.assertCareTeam(principal, clientId);
    const row = await this.current(clientId);
    await this.audit(principal, clientId, 'safety_plan.read', { version: row?.version ?? 0 }, context);
    return this.toDto(clientId, row);
  }

  /** A therapist on the client's care team saves a new version of the client's plan. */
  async saveForClient(principal: Principal, clientId: string, dto: SaveSafetyPlanDto, context: RequestContext): Promise<SafetyPlanDto> {
    await this.assertCareTeam(principal, clientId);
    return this.save(principal, clientId, dto, context);
  }

  private async save(principal: Principal, userId: string, dto: SaveSafetyPlanDto, context: RequestContext): Promise<SafetyPlanDto> {
    const sections = sectionsOf(dto);
    const row = this.versions.create({ id: randomUUID(), userId, version: dto.base_version + 1, updatedBy: principal.userId, createdAt: new Date() });
    row.content = this.encryption.encrypt(JSON.stringify(sections), contentContext(row));
    await this.dataSource.transaction(async (manager) => {
      const current = await this.currentVersion(userId, manager);
      if (current !== dto.base_version) throw conflict();
      try {
        await manager.insert(SafetyPlanVersion, row);
      } catch (error) {
        // Another save from the same base committed first.
        if (violatedConstraint(error) === UNIQUE_VERSION) throw conflict();
        throw error;
      }
      await this.audit(principal, userId, 'safety_plan.written', { version: row.version }, context, manager);
    });
    await this.notifyOtherSide(principal, userId);
    return { user_id: userId, version: row.version, updated_by: row.updatedBy, updated_at: row.createdAt.toISOString(), ...sections };
  }

  /** The client hears of their therapist's change, and their care team of the client's; never the plan's content. */
  private async notifyOtherSide(writer: Principal, clientId: string): Promise<void> {
    const name = (await this.directory.displayName(writer.userId)) || 'Someone';
    if (writer.userId === clientId) {
      const team = await this.careTeamOf(clientId);
      await this.notifications.notifyUsers(team, {
        title: 'Safety plan updated',
        message: `${name} updated their safety plan.`,
        type: NotificationType.System,
        relatedId: clientId,
      });
      return;
    }
    await this.notifications.notifyUsers([clientId], {
      title: 'Safety plan updated',
      message: `${name} updated your safety plan.`,
      type: NotificationType.System,
      relatedId: clientId,
    });
  }

  /**
   * A therapist may work on a client's plan while holding any active grant from them:
   * the plan belongs to the care relation, not to one shared data scope.
   */
  private async assertCareTeam(principal: Principal, clientId: string): Promise<void> {
    if (principal.role !== Role.Therapist || !principal.isVerified || principal.userId === clientId) throw notFound();
    if (!(await this.careTeamOf(clientId)).includes(principal.userId)) throw notFound();
  }

  /** The active, verified therapists holding any active grant from the client. */
  private careTeamOf(clientId: string): Promise<string[]> {
    return this.careTeam.careTeamOf(clientId);
  }

  private audit(
    principal: Principal,
    clientId: string,
    action: 'safety_plan.read' | 'safety_plan.written',
    detail: Record<string, unknown>,
    context: RequestContext,
    manager?: EntityManager,
  ): Promise<void> {
    return this.auditLog.record({ action, actorId: principal.userId, targetType: 'user', targetId: clientId, detail }, context, manager);
  }

  private current(userId: string): Promise<SafetyPlanVersion | null> {
    return this.versions.findOne({ where: { userId }, order: { version: 'DESC' } });
  }

  private async currentVersion(userId: string, manager: EntityManager): Promise<number> {
    const row = await manager.findOne(SafetyPlanVersion, { where: { userId }, order: { version: 'DESC' }, select: { id: true, version: true } });
    return row?.version ?? 0;
  }

  private decrypt(row: SafetyPlanVersion): SafetyPlanSections {
    return { ...emptySections(), ...(JSON.parse(this.encryption.decrypt(row.content, contentContext(row))) as SafetyPlanSections) };
  }

  private toDto(userId: string, row: SafetyPlanVersion | null): SafetyPlanDto {
    if (!row) return { user_id: userId, version: 0, updated_by: null, updated_at: null, ...emptySections() };
    return { user_id: userId, version: row.version, updated_by: row.updatedBy, updated_at: row.createdAt.toISOString(), ...this.decrypt(row) };
  }
}
