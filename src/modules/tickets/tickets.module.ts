import './tickets.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from 'src/modules/audit/audit.module';
import { ChatModule } from 'src/modules/chat/chat.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { RiskFlagsModule } from 'src/modules/risk-flags/risk-flags.module';
import { SupportModule } from 'src/modules/support/support.module';
import { UsersModule } from 'src/modules/users/users.module';
import { TicketNote } from './entities/ticket-note.entity';
import { TicketReply, TicketReplyAttachment } from './entities/ticket-reply.entity';
import { Ticket } from './entities/ticket.entity';
import { TicketNotifier } from './ticket-notifier.service';
import { AdminTicketsController, TicketsController } from './tickets.controller';
import { TicketsPrivacyService } from './tickets-privacy.service';
import { TicketsService } from './tickets.service';
import { TicketsPersonalData } from './tickets-personal-data';

/**
 * The support desk: tickets users open (linked to their support chat, attachments from the
 * chat's store), a public thread, internal staff notes, assignment and statuses, and the
 * staff dashboard at /admin/tickets. Accounts through UserDirectoryService, notifications
 * through NotificationsService, mail through MailService, staff actions audited; what
 * the requester writes is scanned for crisis language by RiskFlagsService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Ticket, TicketReply, TicketReplyAttachment, TicketNote]), UsersModule, ChatModule, SupportModule, NotificationsModule, AuditModule, RiskFlagsModule],
  controllers: [TicketsController, AdminTicketsController],
  providers: [TicketsPersonalData, TicketsService, TicketNotifier, TicketsPrivacyService],
  exports: [TicketsService],
})
export class TicketsModule {}
