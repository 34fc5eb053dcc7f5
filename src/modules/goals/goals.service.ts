import { SessionsService } from 'src/modules/sessions/sessions.service';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import type { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { CareTeamService } from 'src/modules/care-team/care-team.service';
import { RiskFlagsService } from 'src/modules/risk-flags/risk-flags.service';
import { CareScope } from 'src/modules/care-team/care-team.types';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { GoalProgress } from './entities/goal-progress.entity';
import { Goal } from './entities/goal.entity';
import { CreateGoalDto, CreateProgressDto, GoalDto, GoalListQueryDto, GoalProgressDto, GoalStatsDto, UpdateGoalDto } from './goals.dto';
import { GoalStatus } from './goals.types';
import { ArchiveSection } from 'src/modules/users/personal-data';

/** Sorting of a goal list. */
export const GOALS_ORDERING = {
  orderable: {
    created_at: 'g.createdAt',
    updated_at: 'g.updatedAt',
    target_date: 'g.targetDate',
    title: 'g.title',
    completed_at: 'g.completedAt',
    last_progress_at: 'g.lastProgressAt',
  },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

/** Sorting of a goal's progress entries: newest first by default. */
export const PROGRESS_ORDERING = {
  orderable: { created_at: 'p.createdAt' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

const notFound = (): AppException => new AppException('GOALS.NOT_FOUND', 'Goal not found.');

/** Progress text at rest: bound to its entry, so a ciphertext copied to another row fails. */
const progressContext = (id: string): string => `goal-progress:${id}`;

export function toGoalDto(goal: Goal): GoalDto {
  return {
    id: goal.id,
    title: goal.title,
    description: goal.description,
    target_date: goal.targetDate,
    status: goal.status,
    completed_at: goal.completedAt?.toISOString() ?? null,
    progress_count: goal.progressCount,
    last_progress_at: goal.lastProgressAt?.toISOString() ?? null,
    created_at: goal.createdAt.toISOString(),
    updated_at: goal.updatedAt.toISOString(),
  };
}

/**
 * Goals and their progress entries, always scoped to their owner: another user's goal id
 * answers GOALS.NOT_FOUND like a missing one. Care-team therapists read them only through
 * the shared reads, each one authorized (and audited) by the care-team module.
 */
@Injectable()
export class GoalsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Goal) private readonly goals: Repository<Goal>,
    @InjectRepository(GoalProgress) private readonly progress: Repository<GoalProgress>,
    private readonly encryption: FieldEncryptionService,
    private readonly careTeam: CareTeamService,
    private readonly sessions: SessionsService,
    private readonly risk: RiskFlagsService,
  ) {}

  /** The user's goals with their progress entries (decrypted), for their archive. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const goals = await manager.find(Goal, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
    if (goals.length === 0) return null;
    const progress = await manager.find(GoalProgress, { where: { goalId: In(goals.map((g) => g.id)) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return { goals: goals.map((goal) => ({ ...toGoalDto(goal), progress: progress.filter((p) => p.goalId === goal.id).map((p) => this.toProgressDto(p)) })) };
  }

  async create(userId: string, dto: CreateGoalDto): Promise<GoalDto> {
    const goal = await this.goals.save(
      this.goals.create({
        userId,
        title: dto.title,
        description: dto.description ?? null,
        targetDate: dto.target_date ?? null,
        status: GoalStatus.Active,
        completedAt: null,
      }),
    );
    return toGoalDto(await this.ownedOrThrow(userId, goal.id));
  }

  async list(userId: string, query: GoalListQueryDto): Promise<Paginated<GoalDto>> {
    const builder = this.goals.createQueryBuilder('g').where('g.userId = :userId', { userId });
    if (query.status) builder.andWhere('g.status = :status', { status: query.status });
    const page = await paginate(builder, query, { ...GOALS_ORDERING, searchable: ['g.title'], dateColumn: 'g.createdAt', tieBreaker: 'g.id' });
    return page.map(toGoalDto);
  }

  async get(userId: string, goalId: string): Promise<GoalDto> {
    return toGoalDto(await this.ownedOrThrow(userId, goalId));
  }

  async update(userId: string, goalId: string, dto: UpdateGoalDto): Promise<GoalDto> {
    const goal = await this.ownedOrThrow(userId, goalId);
    if (dto.title !== undefined) goal.title = dto.title;
    if (dto.description !== undefined) goal.description = dto.description;
    if (dto.target_date !== undefined) goal.targetDate = dto.target_date;
    await this.goals.save(goal);
    return toGoalDto(await this.ownedOrThrow(userId, goalId));
  }

  /** Deletes the goal with its progress entries (the foreign key cascades). */
  async remove(userId: string, goalId: string): Promise<void> {
    const result = await this.goals.delete({ id: goalId, userId });
    if (!result.affected) throw notFound();
  }

  /** Idempotent: completing a completed goal changes nothing (it keeps its first completed_at). */
  async complete(userId: string, goalId: string): Promise<GoalDto> {
    await this.goals.update({ id: goalId, userId, status: GoalStatus.Active }, { status: GoalStatus.Completed, completedAt: () => 'now()' });
    return this.get(userId, goalId);
  }

  /** Idempotent: reopening an active goal changes nothing. */
  async reopen(userId: string, goalId: string): Promise<GoalDto> {
    await this.goals.update({ id: goalId, userId, status: GoalStatus.Completed }, { status: GoalStatus.Active, completedAt: null });
    return this.get(userId, goalId);
  }

  /** Adds an entry; the goal's counter and last_progress_at move in the same transaction (same now()). */
  async addProgress(userId: string, goalId: string, dto: CreateProgressDto): Promise<GoalProgressDto> {
    const id = randomUUID();
    const entry = await this.dataSource.transaction(async (manager) => {
      const counted = await manager
        .createQueryBuilder()
        .update(Goal)
        .set({ progressCount: () => 'progress_count + 1', lastProgressAt: () => 'now()' })
        .where('id = :goalId AND user_id = :userId', { goalId, userId })
        .execute();
      if (!counted.affected) throw notFound();
      await manager.insert(GoalProgress, {
        id,
        goalId,
        content: this.encryption.encrypt(dto.content, progressContext(id)),
        moodRating: dto.mood_rating ?? null,
      });
      return manager.findOneByOrFail(GoalProgress, { id });
    });
    await this.risk.scanText({ userId, source: 'goal_progress', referenceId: id, text: dto.content });
    return this.toProgressDto(entry);
  }

  async listProgress(userId: string, goalId: string, query: PaginationQueryDto): Promise<Paginated<GoalProgressDto>> {
    await this.ownedOrThrow(userId, goalId);
    return this.progressPage(goalId, query);
  }

  /** The profile counts (SafeTalk `goals_set`, `goals_completed`, `total_appointments`, `completed_appointments`), exact: counted, not cached. */
  async stats(userId: string): Promise<GoalStatsDto> {
    const [row, sessions] = await Promise.all([
      this.goals
        .createQueryBuilder('g')
        .select('COUNT(*)::int', 'goals_set')
        .addSelect('(COUNT(*) FILTER (WHERE g.status = :completed))::int', 'goals_completed')
        .where('g.userId = :userId', { userId, completed: GoalStatus.Completed })
        .getRawOne<{ goals_set: number; goals_completed: number }>(),
      this.sessions.countsFor(userId),
    ]);
    return {
      goals_set: Number(row?.goals_set ?? 0),
      goals_completed: Number(row?.goals_completed ?? 0),
      total_appointments: sessions.total,
      completed_appointments: sessions.completed,
    };
  }

  /** A client's goals, for a care-team therapist they granted the goals scope. */
  async sharedList(viewer: Principal, clientId: string, query: GoalListQueryDto, context: RequestContext): Promise<Paginated<GoalDto>> {
    await this.authorizeShared(viewer, clientId, 'goals', context);
    return this.list(clientId, query);
  }

  /** One of the client's goals' progress entries, for a care-team therapist with the goals scope. */
  async sharedProgress(
    viewer: Principal,
    clientId: string,
    goalId: string,
    query: PaginationQueryDto,
    context: RequestContext,
  ): Promise<Paginated<GoalProgressDto>> {
    await this.authorizeShared(viewer, clientId, `goal_progress:${goalId}`, context);
    return this.listProgress(clientId, goalId, query);
  }

  private async authorizeShared(viewer: Principal, clientId: string, what: string, context: RequestContext): Promise<void> {
    if (!(await this.careTeam.authorizeSharedRead(viewer, clientId, CareScope.Goals, what, context))) throw notFound();
  }

  private async progressPage(goalId: string, query: PaginationQueryDto): Promise<Paginated<GoalProgressDto>> {
    const builder = this.progress.createQueryBuilder('p').where('p.goalId = :goalId', { goalId });
    const page = await paginate(builder, query, { ...PROGRESS_ORDERING, dateColumn: 'p.createdAt', tieBreaker: 'p.id' });
    return page.map((entry) => this.toProgressDto(entry));
  }

  private async ownedOrThrow(userId: string, goalId: string): Promise<Goal> {
    const goal = await this.goals.findOneBy({ id: goalId, userId });
    if (!goal) throw notFound();
    return goal;
  }

  private toProgressDto(entry: GoalProgress): GoalProgressDto {
    return {
      id: entry.id,
      goal_id: entry.goalId,
      content: this.encryption.decrypt(entry.content, progressContext(entry.id)),
      mood_rating: entry.moodRating,
      created_at: entry.createdAt.toISOString(),
    };
  }
}
