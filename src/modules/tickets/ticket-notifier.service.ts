import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import type { Ticket } from './entities/ticket.entity';

/**
 * Who hears of what happens on a ticket. The requester: a staff reply (in-app, socket and
 * email) and a resolve or close (in-app and socket). Staff: a new ticket, a requester's reply
 * or reopen (the assignee, or every active staff member while unassigned), an assignment.
 * Texts carry the ticket number and who, never the subject, body or replies.
 */
@Injectable()
export class TicketNotifier {
  constructor(
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly mail: MailService,
    private readonly directory: UserDirectoryService,
  ) {}

  async opened(ticket: Ticket): Promise<void> {
    const who = await this.nameOf(ticket.requesterId);
    await this.toStaff(ticket, ticket.requesterId, 'New support ticket', `${who} opened support ticket #${ticket.number}.`);
  }

  async requesterReplied(ticket: Ticket): Promise<void> {
    const who = await this.nameOf(ticket.requesterId);
    await this.toStaff(ticket, ticket.requesterId, 'Reply on a support ticket', `${who} replied on support ticket #${ticket.number}.`);
  }

  async reopened(ticket: Ticket): Promise<void> {
    const who = await this.nameOf(ticket.requesterId);
    await this.toStaff(ticket, ticket.requesterId, 'Support ticket reopened', `${who} reopened support ticket #${ticket.number}.`);
  }

  async assigned(ticket: Ticket, actorId: string): Promise<void> {
    if (!ticket.assigneeId || ticket.assigneeId === actorId) return;
    await this.notifications.notifyUsers([ticket.assigneeId], {
      title: 'Support ticket assigned to you',
      message: `Support ticket #${ticket.number} is now assigned to you.`,
      type: NotificationType.Ticket,
      relatedId: ticket.id,
    });
  }

  /** A staff reply: the requester hears in the app, on their socket and by email. */
  async staffReplied(ticket: Ticket, replyId: string): Promise<void> {
    await this.notifications.notifyUsers([ticket.requesterId], {
      title: 'New reply to your support ticket',
      message: `The support team replied to your ticket #${ticket.number}. Open it to read the reply.`,
      type: NotificationType.Ticket,
      relatedId: ticket.id,
    });
    const to = await this.directory.activeEmail(ticket.requesterId);
    if (!to) return;
    const link = `${this.config.http.publicUrl ?? `http://localhost:${this.config.http.port}`}/api/v1/tickets/${ticket.id}`;
    await this.mail.send({
      to,
      subject: `New reply to your support ticket #${ticket.number}`,
      text: `The support team replied to your ticket #${ticket.number}.\n\nOpen Haven to read it: ${link}\n\n— Haven support`,
      idempotencyKey: `ticket-reply:${replyId}`,
      userIds: [ticket.requesterId],
    });
  }

  /** Staff resolved or closed the ticket: the requester hears in the app and on their socket. */
  async statusChanged(ticket: Ticket): Promise<void> {
    if (ticket.status !== 'resolved' && ticket.status !== 'closed') return;
    await this.notifications.notifyUsers([ticket.requesterId], {
      title: ticket.status === 'resolved' ? 'Support ticket resolved' : 'Support ticket closed',
      message:
        ticket.status === 'resolved'
          ? `Your support ticket #${ticket.number} was marked resolved. Reply or reopen it if you still need help.`
          : `Your support ticket #${ticket.number} was closed.`,
      type: NotificationType.Ticket,
      relatedId: ticket.id,
    });
  }

  private async toStaff(ticket: Ticket, actorId: string, title: string, message: string): Promise<void> {
    const targets = ticket.assigneeId ? [ticket.assigneeId] : await this.directory.activeStaffIds();
    await this.notifications.notifyUsers(
      targets.filter((id) => id !== actorId),
      { title, message, type: NotificationType.Ticket, relatedId: ticket.id },
    );
  }

  private async nameOf(userId: string): Promise<string> {
    return (await this.directory.displayName(userId)) || 'A user';
  }
}
