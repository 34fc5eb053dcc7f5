import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { JobHandler } from 'src/infrastructure/queue/job-handler.decorator';
import { JobPayloads } from 'src/infrastructure/queue/jobs';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { ProfileChangeHooks } from 'src/modules/users/profile-change-hooks';
import { DataSource, In, IsNull, LessThan, Repository } from 'typeorm';
import { compatibility, Compatibility } from './compatibility';
import { Match } from './entities/match.entity';
import { MatchViews } from './match-views';
import { MatchingFactsService } from './matching-facts.service';
import { OPEN_MATCH_STATUSES } from './matching.types';

/** How long a profile change waits before the scores are recomputed: changes within it are computed once. */
export const RECOMPUTE_DEBOUNCE_MS = 5_000;
// A match still unscored this long after it was made lost its job (a crash between commit and enqueue): queue it again.
const STALE_UNSCORED_MS = 30_000;
const SWEEP_EVERY_MS = 60_000;

/**
 * Computes match scores in jobs: `matching.score` for a new match, `matching.recompute`
 * (debounced) for every open match of a user whose profile or preferences changed. A
 * computed score is stored, then pushed to both sides (`match_updated`); the first score
 * of a match also notifies both, in the transaction that stores it, so a retried job
 * never notifies twice.
 */
@Injectable()
export class MatchScoringService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Matching');
  private readonly debounceMs: number = RECOMPUTE_DEBOUNCE_MS;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Match) private readonly matches: Repository<Match>,
    private readonly queue: QueueService,
    private readonly facts: MatchingFactsService,
    private readonly views: MatchViews,
    private readonly notifications: NotificationsService,
    private readonly profileChanges: ProfileChangeHooks,
  ) {}

  onModuleInit(): void {
    this.profileChanges.register((userId) => this.profileChanged(userId));
  }

  onApplicationBootstrap(): void {
    if (!this.queue.runsJobs) return;
    this.sweepTimer = setInterval(() => void this.requeueUnscored(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** Queues the first score of a new match (call after its insert committed). */
  async scheduleScore(matchId: string): Promise<void> {
    await this.queue.enqueue('matching.score', { matchId }, { key: `score:${matchId}` });
  }

  /**
   * A user's personality data, preferences or provider profile changed: their open matches
   * are recomputed once the debounce window has passed. The key names the window, and the
   * job runs after the window ends, so it reads every change made in it.
   */
  async profileChanged(userId: string): Promise<void> {
    const window = Math.floor(Date.now() / this.debounceMs);
    await this.queue.enqueue('matching.recompute', { userId }, { key: `recompute:${userId}:${window}`, delayMs: this.debounceMs });
  }

  @JobHandler('matching.score')
  async score({ matchId }: JobPayloads['matching.score']): Promise<void> {
    const match = await this.matches.findOne({ where: { id: matchId, status: In([...OPEN_MATCH_STATUSES]) } });
    if (!match) return; // removed or answered before the job ran
    await this.rescore([match]);
  }

  @JobHandler('matching.recompute')
  async recompute({ userId }: JobPayloads['matching.recompute']): Promise<void> {
    const open = In([...OPEN_MATCH_STATUSES]);
    const matches = await this.matches.find({ where: [{ clientId: userId, status: open }, { providerId: userId, status: open }] });
    await this.rescore(matches);
  }

  /** Computes each match's score; stores and announces those that changed. */
  private async rescore(matches: Match[]): Promise<void> {
    if (matches.length === 0) return;
    const [clients, providers] = await Promise.all([
      this.facts.clientFacts(matches.map((m) => m.clientId)),
      this.facts.providerFacts(matches.map((m) => m.providerId)),
    ]);
    for (const match of matches) {
      const result = compatibility(clients.get(match.clientId)!, providers.get(match.providerId)!);
      if (match.score === result.score && sameReasons(match.reasons, result.reasons)) continue;
      const first = await this.store(match.id, result);
      if (first === null) continue; // closed meanwhile
      const fresh = await this.matches.findOneBy({ id: match.id });
      if (fresh) this.views.publish(first ? 'scored' : 'rescored', await this.views.toDto(fresh));
    }
  }

  /** Stores a score; true when it was the match's first (both sides are then notified). Null when the match is no longer open. */
  private async store(matchId: string, result: Compatibility): Promise<boolean | null> {
    return this.dataSource.transaction(async (manager) => {
      // TypeORM answers an UPDATE with [rows, affected count].
      const [rows] = await manager.query<[Array<{ first: boolean; client_id: string; provider_id: string }>, number]>(
        `WITH old AS (SELECT id, score FROM matches WHERE id = $1 AND status IN ('pending', 'accepted') FOR UPDATE)
         UPDATE matches m SET score = $2, reasons = $3::jsonb, scored_at = now(), updated_at = now()
           FROM old WHERE m.id = old.id
         RETURNING old.score IS NULL AS first, m.client_id, m.provider_id`,
        [matchId, result.score, JSON.stringify(result.reasons)],
      );
      if (rows.length === 0) return null;
      const { first, client_id: clientId, provider_id: providerId } = rows[0];
      if (first) {
        await this.notifications.notifyUsers(
          [clientId, providerId],
          { title: 'New match', message: `A new match is ready: compatibility ${result.score} of 100.`, type: NotificationType.System, relatedId: matchId },
          manager,
        );
      }
      return first;
    });
  }

  /** Queues the score of matches whose job was lost. */
  async requeueUnscored(): Promise<void> {
    try {
      const stale = await this.matches.find({
        select: { id: true },
        where: { score: IsNull(), status: In([...OPEN_MATCH_STATUSES]), createdAt: LessThan(new Date(Date.now() - STALE_UNSCORED_MS)) },
        take: 500,
      });
      const window = Math.floor(Date.now() / SWEEP_EVERY_MS);
      for (const { id } of stale) await this.queue.enqueue('matching.score', { matchId: id }, { key: `score:${id}:sweep:${window}` });
    } catch (error) {
      this.logger.warn(`could not queue unscored matches: ${(error as Error).message}`);
    }
  }
}

const sameReasons = (a: string[], b: string[]): boolean => a.length === b.length && a.every((r, i) => r === b[i]);
