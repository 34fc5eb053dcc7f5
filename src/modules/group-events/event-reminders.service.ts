import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { AppConfig } from 'src/config/app-config';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { JobHandler } from 'src/infrastructure/queue/job-handler.decorator';
import { JobPayloads } from 'src/infrastructure/queue/jobs';
import { QueueService } from 'src/infrastructure/queue/queue.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { DataSource, EntityManager, In } from 'typeorm';
import { EventReminder } from './entities/event-reminder.entity';
import { EventTicket } from './entities/event-ticket.entity';
import { GroupEvent } from './entities/group-event.entity';
import { EventReminderStatus, EventStatus, TicketStatus } from './group-events.types';

const MINUTE_MS = 60_000;
/** A delayed job may run a little before its time (the queue's clock and this process's): it still counts as due. */
const EARLY_TOLERANCE_MS = 60_000;

/** A reminder to queue once the transaction that wrote it has committed. */
export interface DueReminder {
  id: string;
  dueAt: Date;
}

/**
 * Reminders before group events, like sessions' (SESSION_REMINDER_MINUTES): the event's
 * writes schedule, move and cancel the rows in their transaction and queue the jobs after
 * commit; the job tells the seat holders of that moment in-app (the `notification` socket
 * event) and by email, once per reminder.
 */
@Injectable()
export class EventRemindersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly queue: QueueService,
    private readonly notifications: NotificationsService,
    private readonly directory: UserDirectoryService,
    private readonly mail: MailService,
  ) {}

  /** One row per offset for the event's (new) start, in `manager`'s transaction; returns the ones to queue. */
  async schedule(manager: EntityManager, event: Pick<GroupEvent, 'id' | 'startsAt'>): Promise<DueReminder[]> {
    const now = Date.now();
    const rows = this.config.sessions.reminderMinutes.map((offsetMinutes) => {
      const dueAt = new Date(event.startsAt.getTime() - offsetMinutes * MINUTE_MS);
      return { eventId: event.id, offsetMinutes, dueAt, status: dueAt.getTime() > now ? EventReminderStatus.Scheduled : EventReminderStatus.Skipped, sentAt: null };
    });
    await manager.createQueryBuilder().insert().into(EventReminder).values(rows).orUpdate(['due_at', 'status', 'sent_at'], ['event_id', 'offset_minutes']).execute();
    const scheduled = await manager.getRepository(EventReminder).find({ where: { eventId: event.id, status: EventReminderStatus.Scheduled } });
    return scheduled.map((r) => ({ id: r.id, dueAt: r.dueAt }));
  }

  /** The event was cancelled: its reminders still due are too. */
  async cancel(manager: EntityManager, eventId: string): Promise<void> {
    await manager.getRepository(EventReminder).update({ eventId, status: EventReminderStatus.Scheduled }, { status: EventReminderStatus.Cancelled });
  }

  /** After commit. The key carries the due time, so a moved reminder gets a new job and the old one finds nothing to do. */
  async enqueue(reminders: DueReminder[]): Promise<void> {
    for (const reminder of reminders) {
      await this.queue.enqueue(
        'event.remind',
        { reminderId: reminder.id },
        { key: `${reminder.id}:${reminder.dueAt.getTime()}`, delayMs: Math.max(0, reminder.dueAt.getTime() - Date.now()) },
      );
    }
  }

  @JobHandler('event.remind')
  async remind({ reminderId }: JobPayloads['event.remind']): Promise<void> {
    const sent = await this.dataSource.transaction(async (manager) => {
      const reminder = await manager.getRepository(EventReminder).findOne({ where: { id: reminderId }, lock: { mode: 'pessimistic_write' } });
      const due = reminder?.status === EventReminderStatus.Scheduled && reminder.dueAt.getTime() <= Date.now() + EARLY_TOLERANCE_MS;
      // Sent already: a retry after the commit, which sends the emails that may be missing (under the same keys).
      if (!reminder || (!due && reminder.status !== EventReminderStatus.Sent)) return null;
      const event = await manager.getRepository(GroupEvent).findOneBy({ id: reminder.eventId });
      if (!event || event.status !== EventStatus.Scheduled) return null;
      const holders = await manager.getRepository(EventTicket).find({ where: { eventId: event.id, status: In([TicketStatus.Confirmed]) }, select: { userId: true } });
      const userIds = holders.map((t) => t.userId);
      if (!due) return { reminder, event, userIds };
      await this.notifications.notifyUsers(
        userIds,
        { title: 'Event soon', message: `"${event.title}" starts in ${describeOffset(reminder.offsetMinutes)}.`, type: NotificationType.EventTicket, relatedId: event.id },
        manager,
      );
      await manager.getRepository(EventReminder).update(reminder.id, { status: EventReminderStatus.Sent, sentAt: new Date() });
      return { reminder, event, userIds };
    });
    if (!sent) return;
    // After commit; each email is stored once under its key, so a re-run sends none twice.
    for (const userId of sent.userIds) {
      const [email, zone] = await Promise.all([this.directory.activeEmail(userId), this.directory.timeZone(userId)]);
      if (!email) continue;
      const at = DateTime.fromJSDate(sent.event.startsAt, { zone }).toFormat("cccc d LLLL yyyy, HH:mm '('z')'");
      await this.mail.send({
        to: email,
        subject: `Reminder: ${sent.event.title}`,
        text: `"${sent.event.title}" starts ${at}. Open the event in Haven for the place or the link.`,
        idempotencyKey: `event-reminder:${sent.reminder.id}:${userId}`,
        userIds: [userId],
      });
    }
  }
}

const describeOffset = (minutes: number): string =>
  minutes % 1440 === 0 ? `${minutes / 1440} day${minutes === 1440 ? '' : 's'}` : minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`;
