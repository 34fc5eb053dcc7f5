import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { containsPattern, ListOrdering, sortOf, windowTotal } from 'src/common/pagination/paginate';
import { HotQueries } from 'src/infrastructure/database/hot-queries.service';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import type { Conversation } from 'src/modules/chat/entities/conversation.entity';
import type { Message } from 'src/modules/chat/entities/message.entity';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { EntityManager, Repository } from 'typeorm';
import { Notification, NotificationType } from './notification.entity';
import { NotificationDto, NotificationQueryDto } from './notifications.dto';
import { NOTIFICATIONS_COUNT_SQL, NOTIFICATIONS_PAGE_SQL, NotificationRow, OWN_NOTIFICATION_SQL, UNREAD_COUNT_SQL } from './notifications.sql';
import { NotificationContent } from './notifications.types';

/** Sorting of your notifications. */
export const NOTIFICATIONS_ORDERING = {
  orderable: { created_at: 'n.createdAt' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

/** What a notification carries to its user (a stored row, or one a statement returned). */
export type NotificationFields = Pick<Notification, 'id' | 'userId' | 'title' | 'message' | 'notificationType' | 'relatedId' | 'count' | 'read' | 'createdAt'>;

export const toNotificationDto = (n: NotificationFields): NotificationDto => ({
  id: n.id,
  title: n.title,
  message: n.message,
  notification_type: n.notificationType,
  related_id: n.relatedId,
  count: n.count,
  read: n.read,
  created_at: n.createdAt.toISOString(),
});

/** Stored notifications: created by features, polled over REST, pushed over Socket.IO. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly directory: UserDirectoryService,
    private readonly realtime: RealtimeServer,
    private readonly hot: HotQueries,
  ) {}

  /** Pushes stored notifications to their users' sockets (a chat send writes its own, with the message). */
  /**
   * Retention: deletes up to `limit` notifications, read or not, last updated before
   * `cutoff` (an unread message notification moves with each new message). Returns how many.
   */
  async deleteCreatedBefore(cutoff: Date, limit: number): Promise<number> {
    const result = await this.notifications
      .createQueryBuilder()
      .delete()
      .where(`id IN (SELECT id FROM notifications WHERE created_at < :cutoff LIMIT :limit)`, { cutoff, limit })
      .execute();
    return result.affected ?? 0;
  }

  announce(notifications: NotificationFields[]): void {
    for (const n of notifications) this.realtime.toUsers([n.userId], 'notification', toNotificationDto(n));
  }

  /** Stores one notification per user (duplicates removed) and pushes each live; returns the stored rows' ids by user. */
  async notifyUsers(userIds: string[], content: NotificationContent, manager?: EntityManager): Promise<Map<string, string>> {
    const targets = [...new Set(userIds)];
    if (targets.length === 0) return new Map();
    const repository = manager ? manager.getRepository(Notification) : this.notifications;
    const stored = await repository.save(
      targets.map((userId) =>
        repository.create({ userId, title: content.title, message: content.message, notificationType: content.type, relatedId: content.relatedId }),
      ),
    );
    this.announce(stored);
    return new Map(stored.map((n) => [n.userId, n.id]));
  }

  /** A message flagged as an emergency: the other participants and every active staff member hear of it. */
  async emergencyFlagged(event: { conversation: Pick<Conversation, 'id' | 'kind'>; message: Message; flaggedBy: Principal; participantIds: string[] }): Promise<void> {
    const staff = await this.directory.activeStaffIds();
    const targets = [...new Set([...event.participantIds, ...staff])].filter((id) => id !== event.flaggedBy.userId);
    if (targets.length === 0) return;
    const name = (await this.directory.displayName(event.flaggedBy.userId)) ?? 'A user';
    const stored = await this.notifications.save(
      targets.map((userId) =>
        this.notifications.create({
          userId,
          title: 'Emergency flagged',
          message: `${name} flagged a message as an emergency. Open the conversation now.`,
          notificationType: NotificationType.Emergency,
          relatedId: event.message.conversationId,
        }),
      ),
    );
    this.announce(stored);
  }

  async list(principal: Principal, query: NotificationQueryDto): Promise<Paginated<NotificationDto>> {
    const { direction } = sortOf(query.ordering, NOTIFICATIONS_ORDERING);
    if (query.last_id) {
      const [own] = await this.hot.query('own_notification', OWN_NOTIFICATION_SQL, [query.last_id, principal.userId]);
      if (!own) throw new AppException('NOTIFICATIONS.NOT_FOUND', 'last_id is not one of your notifications.', { last_id: ['unknown notification'] });
    }
    const filters = [
      principal.userId,
      query.unread === undefined ? null : !query.unread,
      query.notification_type ?? null,
      // Compared in SQL: PostgreSQL keeps microseconds that a JavaScript Date would drop.
      query.last_id ?? null,
      query.search ? containsPattern(query.search) : null,
      query.date_after ?? null,
      query.date_before ?? null,
    ];
    const rows = await this.hot.query<NotificationRow>(`notifications_page_${direction}`, NOTIFICATIONS_PAGE_SQL[direction], [
      ...filters,
      query.page_size,
      (query.page - 1) * query.page_size,
    ]);
    const total = await windowTotal(rows, query.page, async () => (await this.hot.query<{ total: number }>('notifications_count', NOTIFICATIONS_COUNT_SQL, filters))[0].total);
    return new Paginated(rows.map(toNotificationDto), total, query.page, query.page_size);
  }

  async unreadCount(principal: Principal): Promise<number> {
    const [row] = await this.hot.query<{ count: number }>('unread_notifications', UNREAD_COUNT_SQL, [principal.userId]);
    return row.count;
  }

  async markRead(principal: Principal, id: string): Promise<NotificationDto> {
    const notification = await this.notifications.findOneBy({ id, userId: principal.userId });
    if (!notification) throw new AppException('NOTIFICATIONS.NOT_FOUND', 'Notification not found.');
    if (!notification.read) {
      await this.notifications.update(id, { read: true, readAt: new Date() });
      notification.read = true;
    }
    return toNotificationDto(notification);
  }

  async markAllRead(principal: Principal): Promise<number> {
    const result = await this.notifications.update({ userId: principal.userId, read: false }, { read: true, readAt: new Date() });
    return result.affected ?? 0;
  }

  /** Marks the message notifications of one conversation read (the user read the chat). */
  async conversationRead(userId: string, conversationId: string): Promise<void> {
    await this.notifications.update(
      { userId, relatedId: conversationId, notificationType: NotificationType.Message, read: false },
      { read: true, readAt: new Date() },
    );
  }
}
