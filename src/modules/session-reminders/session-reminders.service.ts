import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Principal } from 'src/common/access/principal';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { AppConfig } from 'src/config/app-config';
import { safeErrorMessage } from 'src/infrastructure/logging/safe-error';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { JobHandler } from 'src/infrastructure/queue/job-handler.decorator';
import { JobPayloads } from 'src/infrastructure/queue/jobs';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { SessionChange, SessionHooks } from 'src/modules/sessions/session-hooks';
import { SessionsService } from 'src/modules/sessions/sessions.service';
import { SessionSnapshot } from 'src/modules/sessions/sessions.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource, EntityManager, QueryRunner, Repository } from 'typeorm';
import { SessionReminder } from './entities/session-reminder.entity';
import { SessionReminderDto } from './session-reminders.dto';
import { ReminderStatus } from './session-reminders.types';

/** Sorting of a session's reminders. */
export const REMINDERS_ORDERING = {
  orderable: { due_at: 'r.dueAt', offset_minutes: 'r.offsetMinutes' },
  defaultOrdering: 'due_at',
} satisfies ListOrdering;

const MINUTE_MS = 60_000;
/** A delayed job may run a little before its time (clocks of the queue and this process): it still counts as due. */
const EARLY_TOLERANCE_MS = 60_000;
/** A reminder still scheduled this long after it was due lost its job (a crash between commit and enqueue): queue it again. */
const LATE_AFTER_MS = 2 * MINUTE_MS;
const SWEEP_EVERY_MS = MINUTE_MS;
const SWEEP_BATCH = 500;

/** A job to queue once the transaction that wrote its reminder has committed. */
interface ReminderJob {
  reminderId: string;
  dueAt: Date;
}

/** One side of a reminder: who receives it and whom the session is with. */
interface Recipient {
  userId: string;
  otherId: string;
}

/**
 * Reminders before each session, at the offsets of config.sessions.reminderMinutes. A
 * SessionHooks listener writes one row per offset in the session's own transaction (booked
 * and rescheduled: (re)schedule at the new time; cancelled and closed: cancel), and the
 * delayed `session.remind` jobs are queued only after that transaction commits (neither
 * queue driver joins it). The row is the idempotency key: the job sends only while the row
 * is `scheduled` and due, under a row lock, and marks it sent in the same transaction as
 * the in-app notifications; a job of a moved, cancelled or rolled-back reminder finds
 * nothing to do. The socket event and the emails follow the commit; emails carry one
 * idempotency key per reminder time and recipient, so a retry or a duplicate job mails once.
 */
@Injectable()
export class SessionRemindersService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionReminders');
  /** Jobs waiting for their transaction's commit, by the transaction's query runner. */
  private readonly waitingForCommit = new WeakMap<QueryRunner, ReminderJob[]>();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(SessionReminder) private readonly reminders: Repository<SessionReminder>,
    private readonly hooks: SessionHooks,
    private readonly sessions: SessionsService,
    private readonly queue: QueueService,
    private readonly mail: MailService,
    private readonly notifications: NotificationsService,
    private readonly realtime: RealtimeServer,
    private readonly users: UserDirectoryService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.hooks.register((change, manager) => this.onSessionChange(change, manager));
    // TypeORM announces every commit and rollback to its subscribers: the outermost one releases or drops the waiting jobs.
    this.dataSource.subscribers.push({
      afterTransactionCommit: async ({ queryRunner }) => {
        if (!queryRunner.isTransactionActive) await this.flush(queryRunner);
      },
      afterTransactionRollback: ({ queryRunner }) => {
        if (!queryRunner.isTransactionActive) this.waitingForCommit.delete(queryRunner);
      },
    });
  }

  onApplicationBootstrap(): void {
    if (!this.queue.runsJobs) return;
    this.sweepTimer = setInterval(() => void this.requeueLate(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** A session's reminders, for its two people and staff overseeing sessions (anyone else: the session's 404). */
  async list(principal: Principal, sessionId: string, query: PaginationQueryDto): Promise<Paginated<SessionReminderDto>> {
    await this.sessions.get(principal, sessionId);
    const builder = this.reminders.createQueryBuilder('r').where('r.sessionId = :sessionId', { sessionId });
    const page = await paginate(builder, query, { ...REMINDERS_ORDERING, dateColumn: 'r.dueAt', tieBreaker: 'r.id' });
    return page.map(toDto);
  }

  /** In the session's transaction: what its change means for its reminders. */
  private async onSessionChange(change: SessionChange, manager: EntityManager): Promise<void> {
    if (change.kind === 'booked' || change.kind === 'rescheduled') await this.schedule(change.session, manager);
    else await manager.update(SessionReminder, { sessionId: change.session.id, status: ReminderStatus.Scheduled }, { status: ReminderStatus.Cancelled });
  }

  /** One row per configured offset at the session's (new) start; an already passed time is `skipped`. */
  private async schedule(session: SessionSnapshot, manager: EntityManager): Promise<void> {
    const offsets = this.config.sessions.reminderMinutes;
    const jobs: ReminderJob[] = [];
    for (const offset of offsets) {
      const dueAt = new Date(session.startsAt.getTime() - offset * MINUTE_MS);
      const status = dueAt.getTime() > Date.now() ? ReminderStatus.Scheduled : ReminderStatus.Skipped;
      const rows = await manager.query<Array<{ id: string }>>(
        `INSERT INTO session_reminders (session_id, client_id, provider_id, offset_minutes, session_starts_at, due_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ON CONSTRAINT uq_session_reminders_offset DO UPDATE
           SET session_starts_at = EXCLUDED.session_starts_at, due_at = EXCLUDED.due_at, status = EXCLUDED.status, sent_at = NULL, updated_at = now()
         RETURNING id`,
        [session.id, session.clientId, session.providerId, offset, session.startsAt, dueAt, status],
      );
      if (status === ReminderStatus.Scheduled) jobs.push({ reminderId: rows[0].id, dueAt });
    }
    // Offsets no longer configured are not moved with the session.
    await manager.query(`UPDATE session_reminders SET status = 'cancelled', updated_at = now() WHERE session_id = $1 AND status = 'scheduled' AND NOT (offset_minutes = ANY($2::int[]))`, [
      session.id,
      offsets,
    ]);
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      await this.enqueue(jobs);
      return;
    }
    this.waitingForCommit.set(runner, [...(this.waitingForCommit.get(runner) ?? []), ...jobs]);
  }

  private async flush(runner: QueryRunner): Promise<void> {
    const jobs = this.waitingForCommit.get(runner);
    if (!jobs) return;
    this.waitingForCommit.delete(runner);
    try {
      await this.enqueue(jobs);
    } catch (error) {
      // The session is committed: the sweep queues these reminders once they are late.
      this.logger.warn(`queuing ${jobs.length} reminder job(s) failed: ${safeErrorMessage(error)}`);
    }
  }

  /** The job key carries the due time: a moved reminder gets a new job, and the old one finds it not yet due. */
  private async enqueue(jobs: ReminderJob[], suffix = ''): Promise<void> {
    await Promise.all(
      jobs.map(({ reminderId, dueAt }) =>
        this.queue.enqueue('session.remind', { reminderId }, { key: `${reminderId}:${dueAt.getTime()}${suffix}`, delayMs: Math.max(0, dueAt.getTime() - Date.now()) }),
      ),
    );
  }

  /** Reminders whose job was lost are queued again (their own key: the lost one may still be recorded). */
  async requeueLate(): Promise<number> {
    try {
      const late = await this.dataSource.query<Array<{ id: string; due_at: Date }>>(
        `SELECT id, due_at FROM session_reminders WHERE status = 'scheduled' AND due_at < $1 ORDER BY due_at LIMIT ${SWEEP_BATCH}`,
        [new Date(Date.now() - LATE_AFTER_MS)],
      );
      await this.enqueue(
        late.map((r) => ({ reminderId: r.id, dueAt: new Date(r.due_at) })),
        ':late',
      );
      return late.length;
    } catch (error) {
      this.logger.warn(`reminder sweep failed: ${safeErrorMessage(error)}`);
      return 0;
    }
  }

  /**
   * Sends one reminder if it is still scheduled and due: the notifications and `sent` in
   * one transaction under the row's lock, then the socket event and the emails. A reminder
   * found `sent` only makes sure its emails were queued (same keys: a crash after the commit
   * loses no email, and a duplicate job sends none).
   */
  @JobHandler('session.remind')
  async remind({ reminderId }: JobPayloads['session.remind']): Promise<void> {
    const found = await this.reminders.findOneBy({ id: reminderId });
    if (!found) return;
    if (found.status === ReminderStatus.Sent) {
      await this.sendEmails(found);
      return;
    }
    if (found.status !== ReminderStatus.Scheduled || found.dueAt.getTime() > Date.now() + EARLY_TOLERANCE_MS) return;
    // Names and zones are read before the transaction: the embedded database runs one transaction at a time.
    const texts = await this.texts(found);
    const sent = await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(SessionReminder, { where: { id: reminderId }, lock: { mode: 'pessimistic_write' } });
      // Moved or cancelled meanwhile (the moved one has its own job), or sent by a concurrent run.
      if (!row || row.status !== ReminderStatus.Scheduled || row.dueAt.getTime() !== found.dueAt.getTime()) return null;
      row.status = ReminderStatus.Sent;
      row.sentAt = new Date();
      await manager.update(SessionReminder, row.id, { status: row.status, sentAt: row.sentAt });
      for (const text of texts) {
        await this.notifications.notifyUsers(
          [text.recipient.userId],
          { title: text.title, message: text.message, type: NotificationType.Session, relatedId: row.sessionId },
          manager,
        );
      }
      return row;
    });
    if (!sent) return;
    for (const text of texts) {
      this.realtime.toUsers([text.recipient.userId], 'session_reminder', {
        session_id: sent.sessionId,
        reminder_id: sent.id,
        scheduled_at: sent.sessionStartsAt.toISOString(),
        minutes_before: sent.offsetMinutes,
        with_user: { id: text.recipient.otherId, name: text.otherName },
      });
    }
    await this.sendEmails(sent, texts);
  }

  private async sendEmails(reminder: SessionReminder, known?: ReminderText[]): Promise<void> {
    const texts = known ?? (await this.texts(reminder));
    for (const text of texts) {
      const to = await this.users.activeEmail(text.recipient.userId);
      if (!to) continue;
      await this.mail.send({
        to,
        subject: text.title,
        text: `${text.message}\n\nOpen Haven to join or to see the session's details.`,
        idempotencyKey: `session-reminder:${reminder.id}:${reminder.dueAt.getTime()}:${text.recipient.userId}`,
        userIds: [reminder.clientId, reminder.providerId],
      });
    }
  }

  /** Who and when, in each recipient's time zone; never the session's notes. */
  private async texts(reminder: SessionReminder): Promise<ReminderText[]> {
    const recipients: Recipient[] = [
      { userId: reminder.clientId, otherId: reminder.providerId },
      { userId: reminder.providerId, otherId: reminder.clientId },
    ];
    return Promise.all(
      recipients.map(async (recipient) => {
        const [zone, otherName] = await Promise.all([this.users.timeZone(recipient.userId), this.users.displayName(recipient.otherId)]);
        const name = otherName || 'your contact';
        const when = DateTime.fromJSDate(reminder.sessionStartsAt, { zone }).toFormat("cccc d LLLL yyyy 'at' HH:mm (ZZZZ)");
        return {
          recipient,
          otherName: name,
          title: `Session in ${describeOffset(reminder.offsetMinutes)}`,
          message: `Your session with ${name} starts on ${when}.`,
        };
      }),
    );
  }
}

interface ReminderText {
  recipient: Recipient;
  otherName: string;
  title: string;
  message: string;
}

function describeOffset(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '24 hours' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

function toDto(r: SessionReminder): SessionReminderDto {
  return {
    id: r.id,
    session_id: r.sessionId,
    offset_minutes: r.offsetMinutes,
    due_at: r.dueAt.toISOString(),
    status: r.status,
    sent_at: r.sentAt?.toISOString() ?? null,
  };
}
