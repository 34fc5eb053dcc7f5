import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isStaff, isVerifiedProvider, Role } from 'src/common/access/permissions';
import { SYSTEM_CONTEXT } from 'src/common/http/request-context';
import { AppConfig } from 'src/config/app-config';
import { safeErrorMessage } from 'src/infrastructure/logging/safe-error';
import { JobHandler } from 'src/infrastructure/queue/job-handler.decorator';
import { JobPayloads } from 'src/infrastructure/queue/jobs';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { AuditService } from 'src/modules/audit/audit.service';
import { ChatTextHooks, WrittenChatMessage } from 'src/modules/chat/chat-text-hooks';
import { AlarmPlanService } from 'src/modules/ptsd/alarm-plan.service';
import { CrisisDetector } from 'src/modules/safety/crisis-detector';
import { CrisisResourcesService } from 'src/modules/safety/crisis-resources.service';
import type { CrisisAssessment } from 'src/modules/safety/safety.types';
import { SafetyPlansService } from 'src/modules/safety-plans/safety-plans.service';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource, EntityManager } from 'typeorm';
import { RiskDetection } from './entities/risk-detection.entity';
import { RiskFlag } from './entities/risk-flag.entity';
import { RiskPager } from './risk-pager.service';
import { mergeCategories, severityOf, severityRankOf } from './risk-severity';
import type { CrisisCategory, CrisisSupport, OpenRiskFlagStats, RiskSeverity, RiskSource, TextScan, WrittenText } from './risk-flags.types';

/** A detection to record: who, where, what was found. */
export interface Detection {
  userId: string;
  source: RiskSource;
  referenceId: string;
  conversationId?: string | null;
  categories: CrisisCategory[];
  confidence: number;
}

// A flag due for re-escalation this long ago lost its job (a crash, Redis flushed): the sweep queues it again.
const LOST_ESCALATION_MS = 30_000;
const SWEEP_EVERY_MS = 60_000;

/**
 * Risk flags: a crisis detected in what a user wrote raises a flag (or joins the open one of
 * the same conversation within the join window), shows the writer crisis support at once,
 * and pages their care team and staff. A flag nobody acknowledges by its deadline is paged
 * to all staff again, repeatedly, by `risk.escalate` jobs.
 */
@Injectable()
export class RiskFlagsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RiskFlags');
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly queue: QueueService,
    private readonly detector: CrisisDetector,
    private readonly resources: CrisisResourcesService,
    private readonly plans: SafetyPlansService,
    private readonly alarmPlans: AlarmPlanService,
    private readonly directory: UserDirectoryService,
    private readonly audit: AuditService,
    private readonly pager: RiskPager,
    chatText: ChatTextHooks,
  ) {
    chatText.listen((message) => this.chatMessageWritten(message));
  }

  /** Scans a stored text; a crisis raises or joins a flag and returns the support to show the writer. */
  async scanText(written: WrittenText): Promise<TextScan> {
    const assessment = this.detector.assess(written.text);
    if (!assessment.crisis) return { assessment, flagId: null, support: null };
    return this.onCrisis(written, assessment);
  }

  /**
   * A detection that did not come from text (a screener's self-harm item): raised like one,
   * but the caller has already told the care team and staff in its own words, so only the
   * escalation is scheduled.
   */
  async raiseWithoutPaging(detection: Detection): Promise<string | null> {
    const raised = await this.record(detection);
    if (raised?.created) await this.scheduleEscalation(raised.flag);
    return raised?.flag.id ?? null;
  }

  /** The helplines for the user's country, their safety plan, and whether a one-tap alarm would reach someone. */
  async crisisSupport(userId: string): Promise<CrisisSupport> {
    const [locale, plan, alarm] = await Promise.all([this.directory.locale(userId), this.plans.currentFor(userId), this.alarmPlans.planFor(userId)]);
    return {
      resources: this.resources.forCountry(locale.country),
      safety_plan: plan,
      alarm_available: alarm.contacts.some((c) => c.email !== null) || alarm.therapist !== null,
    };
  }

  /**
   * Pages all staff again about a flag nobody acknowledged, once per level: the conditional
   * UPDATE is the idempotency key, so a retried or duplicated job pages once. The next level
   * is queued from here.
   */
  @JobHandler('risk.escalate')
  async escalate({ flagId, level }: JobPayloads['risk.escalate']): Promise<void> {
    const every = this.config.risk.reescalateEveryMinutes;
    const result = await this.dataSource
      .createQueryBuilder()
      .update(RiskFlag)
      .set({ escalationLevel: level, nextEscalationAt: () => `now() + make_interval(mins => ${every})` })
      .where("id = :flagId AND status = 'open' AND escalation_level = :previous AND next_escalation_at <= now()", { flagId, previous: level - 1 })
      .execute();
    const flag = result.affected ? await this.dataSource.getRepository(RiskFlag).findOneBy({ id: flagId }) : null;
    if (!flag) return; // acknowledged, resolved, not yet due, or this level already paged
    await this.audit.record({ action: 'risk.flag_escalated', actorId: null, targetType: 'risk_flag', targetId: flag.id, detail: { level } }, SYSTEM_CONTEXT);
    await this.pager.escalated(flag);
    await this.queue.enqueue('risk.escalate', { flagId: flag.id, level: level + 1 }, { key: `${flag.id}:${level + 1}`, delayMs: every * 60_000 });
  }

  onApplicationBootstrap(): void {
    if (!this.queue.runsJobs) return;
    this.sweepTimer = setInterval(() => void this.requeueLostEscalations(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** Open flags whose re-escalation is overdue lost their job: queue it again. */
  async requeueLostEscalations(): Promise<number> {
    try {
      const due = await this.dataSource
        .getRepository(RiskFlag)
        .createQueryBuilder('f')
        .select(['f.id', 'f.escalationLevel'])
        .where("f.status = 'open' AND f.nextEscalationAt < :before", { before: new Date(Date.now() - LOST_ESCALATION_MS) })
        .take(1000)
        .getMany();
      // A key of its own per sweep: the lost level's first job may have finished (a no-op) and is kept by the queue
      // under its key for days. The handler's conditional UPDATE still pages each level once.
      const sweep = Math.floor(Date.now() / SWEEP_EVERY_MS);
      await Promise.all(
        due.map((f) => this.queue.enqueue('risk.escalate', { flagId: f.id, level: f.escalationLevel + 1 }, { key: `${f.id}:${f.escalationLevel + 1}:sweep:${sweep}` })),
      );
      return due.length;
    } catch (error) {
      this.logger.warn(`re-queuing risk escalations failed: ${safeErrorMessage(error)}`);
      return 0;
    }
  }

  /** Chat sends call this for every text message: one synchronous detector call, a promise only for a crisis. */
  private chatMessageWritten(message: WrittenChatMessage): Promise<void> | undefined {
    const assessment = this.detector.assess(message.text);
    if (!assessment.crisis) return undefined;
    const written: WrittenText = { userId: message.senderId, source: 'chat_message', referenceId: message.messageId, conversationId: message.conversationId, text: message.text };
    return this.shouldScanChatOf(message.senderId).then(async (scan) => {
      if (scan) await this.onCrisis(written, assessment);
    });
  }

  /** Clients and peers are scanned; staff and verified therapists write about crises professionally. */
  private async shouldScanChatOf(userId: string): Promise<boolean> {
    const card = await this.directory.find(userId);
    if (!card || isStaff(card.role)) return false;
    return !(card.role === Role.Therapist && isVerifiedProvider(card));
  }

  private async onCrisis(written: WrittenText, assessment: CrisisAssessment): Promise<TextScan> {
    const raised = await this.record({
      userId: written.userId,
      source: written.source,
      referenceId: written.referenceId,
      conversationId: written.conversationId ?? null,
      categories: assessment.categories,
      confidence: assessment.confidence,
    });
    const support = await this.crisisSupport(written.userId);
    if (!raised) return { assessment, flagId: null, support };
    if (raised.created) {
      await this.pager.raised(raised.flag);
      await this.scheduleEscalation(raised.flag);
    }
    // The companion shows support in its reply; elsewhere the writer gets it live, and once per flag as a notification.
    if (written.source !== 'companion_message') await this.pager.supportWriter(raised.flag, written, support, raised.created);
    return { assessment, flagId: raised.flag.id, support };
  }

  private async scheduleEscalation(flag: RiskFlag): Promise<void> {
    await this.queue.enqueue('risk.escalate', { flagId: flag.id, level: 1 }, { key: `${flag.id}:1`, delayMs: Math.max(0, flag.ackDeadlineAt.getTime() - Date.now()) });
  }

  /**
   * Stores the detection: it joins the user's unresolved flag of the same scope (the
   * conversation, else the source) last detected within the join window, or raises a new
   * flag. An advisory lock on (user, scope) makes concurrent detections take turns, so a
   * burst of messages raises one flag. Null when this reference was recorded before.
   */
  private async record(detection: Detection): Promise<{ flag: RiskFlag; created: boolean } | null> {
    const scopeKey = detection.conversationId ?? detection.source;
    const now = new Date();
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`risk:${detection.userId}:${scopeKey}`]);
      // The same reference scanned twice (a retried request) records nothing new.
      if (await manager.existsBy(RiskDetection, { source: detection.source, referenceId: detection.referenceId })) return null;
      const open = await manager
        .getRepository(RiskFlag)
        .createQueryBuilder('f')
        .where("f.userId = :userId AND f.scopeKey = :scopeKey AND f.status <> 'resolved'", { userId: detection.userId, scopeKey })
        .andWhere(`f.lastDetectedAt > now() - make_interval(mins => ${this.config.risk.joinWindowMinutes})`)
        .orderBy('f.lastDetectedAt', 'DESC')
        .getOne();
      if (open) {
        await this.addDetection(manager, open.id, detection, now);
        open.detections += 1;
        open.lastDetectedAt = now;
        open.categories = mergeCategories(open.categories, detection.categories);
        open.severityRank = Math.max(open.severityRank, severityRankOf(detection.categories));
        open.confidence = Math.max(open.confidence, detection.confidence);
        await manager.update(RiskFlag, { id: open.id }, {
          detections: open.detections,
          lastDetectedAt: now,
          categories: open.categories,
          severityRank: open.severityRank,
          confidence: open.confidence,
        });
        await this.audit.record(
          { action: 'risk.flag_joined', actorId: null, targetType: 'risk_flag', targetId: open.id, detail: { source: detection.source, reference_id: detection.referenceId, categories: detection.categories } },
          SYSTEM_CONTEXT,
          manager,
        );
        return { flag: open, created: false };
      }
      const deadline = new Date(now.getTime() + this.config.risk.ackDeadlineMinutes * 60_000);
      const flag = await manager.save(
        manager.create(RiskFlag, {
          userId: detection.userId,
          source: detection.source,
          conversationId: detection.conversationId ?? null,
          scopeKey,
          categories: mergeCategories([], detection.categories),
          severityRank: severityRankOf(detection.categories),
          confidence: detection.confidence,
          detections: 1,
          status: 'open',
          firstDetectedAt: now,
          lastDetectedAt: now,
          ackDeadlineAt: deadline,
          escalationLevel: 0,
          nextEscalationAt: deadline,
        }),
      );
      await this.addDetection(manager, flag.id, detection, now);
      await this.audit.record(
        { action: 'risk.flag_raised', actorId: null, targetType: 'risk_flag', targetId: flag.id, detail: { user_id: detection.userId, source: detection.source, reference_id: detection.referenceId, categories: flag.categories } },
        SYSTEM_CONTEXT,
        manager,
      );
      return { flag, created: true };
    });
  }

  private async addDetection(manager: EntityManager, flagId: string, detection: Detection, now: Date): Promise<void> {
    await manager.insert(RiskDetection, { flagId, source: detection.source, referenceId: detection.referenceId, categories: detection.categories, confidence: detection.confidence, detectedAt: now });
  }

  /**
   * Unresolved flags (open or acknowledged) for the operations dashboard: by status, by
   * severity and by age since first detection, with the oldest's first detection, in one
   * statement over ix_risk_flags_triage (status, severity_rank, first_detected_at); resolved
   * flags are not read. Counts only: no user, text or category leaves this method.
   */
  async openStats(now: Date = new Date()): Promise<OpenRiskFlagStats> {
    const rows = await this.dataSource.query<
      Array<{ status: string; severity_rank: number; count: number; under_1h: number; under_24h: number; under_7d: number; oldest: Date | null }>
    >(
      `SELECT status, severity_rank, count(*)::int AS count,
              count(*) FILTER (WHERE first_detected_at > $1::timestamptz - interval '1 hour')::int AS under_1h,
              count(*) FILTER (WHERE first_detected_at > $1::timestamptz - interval '24 hours')::int AS under_24h,
              count(*) FILTER (WHERE first_detected_at > $1::timestamptz - interval '7 days')::int AS under_7d,
              min(first_detected_at) AS oldest
         FROM risk_flags WHERE status IN ('open', 'acknowledged')
        GROUP BY status, severity_rank`,
      [now],
    );
    const bySeverity = new Map<RiskSeverity, number>();
    const stats: OpenRiskFlagStats = {
      open: 0,
      acknowledged: 0,
      bySeverity,
      byAge: { underOneHour: 0, oneToTwentyFourHours: 0, oneToSevenDays: 0, overSevenDays: 0 },
      oldestFirstDetectedAt: null,
    };
    for (const row of rows) {
      if (row.status === 'open') stats.open += row.count;
      else stats.acknowledged += row.count;
      const severity = severityOf(row.severity_rank);
      bySeverity.set(severity, (bySeverity.get(severity) ?? 0) + row.count);
      stats.byAge.underOneHour += row.under_1h;
      stats.byAge.oneToTwentyFourHours += row.under_24h - row.under_1h;
      stats.byAge.oneToSevenDays += row.under_7d - row.under_24h;
      stats.byAge.overSevenDays += row.count - row.under_7d;
      const oldest = row.oldest ? new Date(row.oldest) : null;
      if (oldest && (!stats.oldestFirstDetectedAt || oldest < stats.oldestFirstDetectedAt)) stats.oldestFirstDetectedAt = oldest;
    }
    return stats;
  }
}

