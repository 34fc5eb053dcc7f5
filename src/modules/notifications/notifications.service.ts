import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { STAFF_ROLES } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { paginate } from 'src/common/pagination/paginate';
import { HotQueries } from 'src/infrastructure/database/hot-queries.service';
import { RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { User, UserStatus } from 'src/modules/users/user.entity';
import { In, Repository } from 'typeorm';
import { type Conversation, ConversationKind } from 'src/modules/chat/entities/conversation.entity';
import type { Message } from 'src/modules/chat/entities/message.entity';
import { Notification, NotificationType } from './notification.entity';
import { NotificationDto, NotificationQueryDto } from './notifications.dto';

export const toNotificationDto = (n: Notification): NotificationDto => ({
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
  private readonly pendingMessages = new Map<string, { userId: string; relatedId: string; title: string; senderId: string; count: number }>();
  private scheduledFlush: Promise<void> | null = null;

  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly realtime: RealtimeServer,
    private readonly hot: HotQueries,
  ) {}

  /**
   * New message for the (not muted) recipients of a direct or support chat: one unread
   * notification per chat, counting messages. Groups rely on unread counts instead, so a
   * busy group does not write a row per member per message.
   */
  async messageReceived(event: { conversation: Pick<Conversation, 'id' | 'kind'>; sender: Principal; recipients: string[] }): Promise<void> {
    if (event.conversation.kind === ConversationKind.Group || event.recipients.length === 0) return;
    const title = event.conversation.kind === ConversationKind.Support ? 'Support chat' : 'New message';
    for (const userId of event.recipients) {
      const key = `${userId}:${event.conversation.id}`;
      const entry = this.pendingMessages.get(key) ?? { userId, relatedId: event.conversation.id, title, senderId: event.sender.userId, count: 0 };
      entry.count += 1;
      entry.senderId = event.sender.userId;
      this.pendingMessages.set(key, entry);
    }
    await this.scheduleFlush();
  }

  /**
   * Message notifications of all sends in the same event-loop turn go out in one
   * statement (busy chats would otherwise write a row per message).
   */
  private scheduleFlush(): Promise<void> {
    this.scheduledFlush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.scheduledFlush = null;
      return this.flushMessageNotifications();
    });
    return this.scheduledFlush;
  }

  private async flushMessageNotifications(): Promise<void> {
    const batch = [...this.pendingMessages.values()];
    this.pendingMessages.clear();
    if (batch.length === 0) return;
    // Collapses into the unread notification of each chat, if there is one.
    const rows = await this.hot.query<Notification>(
      'message_notifications',
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::int[]) AS i(user_id, related_id, title, sender_id, n)
       ), named AS (
         SELECT i.*, coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), 'someone') AS name
           FROM input i LEFT JOIN users u ON u.id = i.sender_id
       )
       INSERT INTO notifications (user_id, title, message, notification_type, related_id, count)
       SELECT user_id, title,
              CASE WHEN n = 1 THEN 'You have a new message from ' || name ELSE 'You have ' || n || ' new messages from ' || name END,
              'message', related_id, n
         FROM named
       ON CONFLICT (user_id, related_id) WHERE notification_type = 'message' AND read = false
       DO UPDATE SET count = notifications.count + EXCLUDED.count, created_at = now(),
                     message = 'You have ' || (notifications.count + EXCLUDED.count) || ' new messages from '
                               || substring(EXCLUDED.message from ' from (.*)$')
       RETURNING id, user_id AS "userId", title, message, notification_type AS "notificationType",
                 related_id AS "relatedId", count, read, created_at AS "createdAt"`,
      [batch.map((b) => b.userId), batch.map((b) => b.relatedId), batch.map((b) => b.title), batch.map((b) => b.senderId), batch.map((b) => b.count)],
    );
    for (const row of rows) this.realtime.toUsers([row.userId], 'notification', toNotificationDto(row));
  }

  /** A message flagged as an emergency: the other participants and every active staff member hear of it. */
  async emergencyFlagged(event: { conversation: Pick<Conversation, 'id' | 'kind'>; message: Message; flaggedBy: Principal; participantIds: string[] }): Promise<void> {
    const staff = await this.users.find({ where: { role: In([...STAFF_ROLES]), status: UserStatus.Active }, select: { id: true } });
    const targets = [...new Set([...event.participantIds, ...staff.map((s) => s.id)])].filter((id) => id !== event.flaggedBy.userId);
    if (targets.length === 0) return;
    const flagger = await this.users.findOneBy({ id: event.flaggedBy.userId });
    const name = flagger ? `${flagger.firstName} ${flagger.lastName}`.trim() : 'A user';
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
    for (const n of stored) this.realtime.toUsers([n.userId], 'notification', toNotificationDto(n));
  }

  async list(principal: Principal, query: NotificationQueryDto): Promise<Paginated<NotificationDto>> {
    const builder = this.notifications.createQueryBuilder('n').where('n.userId = :me', { me: principal.userId });
    if (query.unread !== undefined) builder.andWhere('n.read = :read', { read: !query.unread });
    if (query.notification_type) builder.andWhere('n.notificationType = :type', { type: query.notification_type });
    if (query.last_id) {
      const last = await this.notifications.findOneBy({ id: query.last_id, userId: principal.userId });
      if (!last) throw new AppException('NOTIFICATIONS.NOT_FOUND', 'last_id is not one of your notifications.', { last_id: ['unknown notification'] });
      // Compared in SQL: PostgreSQL keeps microseconds that a JavaScript Date would drop.
      builder.andWhere('(n.created_at, n.id) > (SELECT l.created_at, l.id FROM notifications l WHERE l.id = :lastId)', { lastId: last.id });
    }
    const page = await paginate(builder, query, {
      orderable: { created_at: 'n.createdAt' },
      defaultOrdering: '-created_at',
      searchable: ['n.title', 'n.message'],
      dateColumn: 'n.createdAt',
      tieBreaker: 'n.id',
    });
    return page.map(toNotificationDto);
  }

  async unreadCount(principal: Principal): Promise<number> {
    return this.notifications.countBy({ userId: principal.userId, read: false });
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
