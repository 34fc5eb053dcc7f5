import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Principal } from 'src/common/access/principal';
import type { RequestContext } from 'src/common/http/request-context';
import { AppConfig } from 'src/config/app-config';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { JobHandler } from 'src/infrastructure/queue/job-handler.decorator';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { AuditService } from 'src/modules/audit/audit.service';
import { ApiTokensService } from 'src/modules/auth/api-tokens.service';
import { SessionsService } from 'src/modules/auth/sessions.service';
import { CompanionConversationsService } from 'src/modules/companion/companion-conversations.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { Repository } from 'typeorm';
import { RetentionRun } from './entities/retention-run.entity';
import { RETENTION_KINDS, RetentionCounts, RetentionTrigger } from './retention.types';

const DAY_MS = 86_400_000;

/** Deletes up to `limit` rows of one kind that are older than `cutoff`; returns how many. */
type BatchDelete = (cutoff: Date, limit: number) => Promise<number>;

/**
 * Retention: on a schedule (once per RETENTION_INTERVAL_SECONDS across every process), and
 * when an admin asks, deletes what is past its period. Each kind is deleted by the feature
 * that owns its table, in batches of RETENTION_BATCH_SIZE rows, so a backlog never holds
 * long locks. Each run is recorded (counts only) and logged in one line.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly config: AppConfig,
    private readonly queue: QueueService,
    private readonly mail: MailService,
    private readonly companion: CompanionConversationsService,
    private readonly notifications: NotificationsService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly audit: AuditService,
    @InjectRepository(RetentionRun) private readonly runs: Repository<RetentionRun>,
  ) {}

  /** Processes that run jobs register the schedule (idempotent: one scheduler however many processes). */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.queue.runsJobs) return;
    await this.queue.schedule('maintenance.retention', {}, this.config.retention.intervalMs);
  }

  @JobHandler('maintenance.retention')
  async scheduled(): Promise<void> {
    await this.run('schedule');
  }

  /** The last run, if any. */
  lastRun(): Promise<RetentionRun | null> {
    return this.runs.createQueryBuilder('r').orderBy('r.finishedAt', 'DESC').addOrderBy('r.id', 'DESC').limit(1).getOne();
  }

  /** An admin's run, now; audited with its counts. */
  async runNow(principal: Principal, context: RequestContext): Promise<RetentionRun> {
    const run = await this.run('staff');
    await this.audit.record({ action: 'retention.run', actorId: principal.userId, targetType: 'retention_run', targetId: run.id, detail: { deleted: run.deleted } }, context);
    return run;
  }

  /** Deletes everything past its period, kind by kind, and records the run. */
  async run(trigger: RetentionTrigger): Promise<RetentionRun> {
    const started = Date.now();
    const days = this.config.retention.days;
    const deleted: RetentionCounts = {
      companion_conversations: await this.sweep(days.companion, (cutoff, limit) => this.companion.deleteIdleBefore(cutoff, limit)),
      notifications: await this.sweep(days.notifications, (cutoff, limit) => this.notifications.deleteCreatedBefore(cutoff, limit)),
      auth_sessions: await this.sweep(days.sessions, (cutoff, limit) => this.sessions.deleteEndedBefore(cutoff, limit)),
      api_tokens: await this.sweep(days.sessions, (cutoff, limit) => this.apiTokens.deleteEndedBefore(cutoff, limit)),
      mail_messages: await this.sweep(days.mail, (cutoff, limit) => this.mail.deleteFinishedBefore(cutoff, limit)),
      job_records: await this.sweep(days.jobRecords, async (cutoff, limit) => {
        const jobs = await this.queue.deleteFinishedBefore(cutoff, limit);
        return jobs >= limit ? jobs : jobs + (await this.deleteRunsBefore(cutoff, limit - jobs));
      }),
    };
    const run = this.runs.create({ trigger, startedAt: new Date(started), finishedAt: new Date(), deleted });
    await this.runs.insert(run);
    this.logger.log(`retention run (${trigger}) deleted ${RETENTION_KINDS.map((kind) => `${kind}=${deleted[kind] ?? 'kept'}`).join(' ')} in ${Date.now() - started} ms`);
    return run;
  }

  /** One kind: batches until a batch comes back short. Null when the kind is kept for ever. */
  private async sweep(days: number | null, deleteBatch: BatchDelete): Promise<number | null> {
    if (days === null) return null;
    const cutoff = new Date(Date.now() - days * DAY_MS);
    const limit = this.config.retention.batchSize;
    let total = 0;
    for (;;) {
      const deleted = await deleteBatch(cutoff, limit);
      total += deleted;
      if (deleted < limit) return total;
    }
  }

  /** This feature's own records: runs older than the job-records period. */
  private async deleteRunsBefore(cutoff: Date, limit: number): Promise<number> {
    const result = await this.runs
      .createQueryBuilder()
      .delete()
      .where(`id IN (SELECT id FROM retention_runs WHERE finished_at < :cutoff LIMIT :limit)`, { cutoff, limit })
      .execute();
    return result.affected ?? 0;
  }
}
