import './group-events.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { PaymentsModule } from 'src/modules/payments/payments.module';
import { UsersModule } from 'src/modules/users/users.module';
import { EventReminder } from './entities/event-reminder.entity';
import { EventRemindersService } from './event-reminders.service';
import { EventTicket } from './entities/event-ticket.entity';
import { GroupEvent } from './entities/group-event.entity';
import { EventTicketsService } from './event-tickets.service';
import { EventViews } from './event-views.service';
import { GroupEventsController } from './group-events.controller';
import { GroupEventsService } from './group-events.service';
import { GroupEventsPersonalData } from './group-events-personal-data';

/**
 * HumanLink's group events (`/api/v1/events`): events with an exact capacity, tickets, a
 * waitlist that moves up when a seat frees, and hosts' attendee lists. Paid tickets are
 * charged and refunded through the payments module's exported PaymentsService; holders
 * are told of changes through NotificationsService; hosts' names come from UserDirectoryService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([GroupEvent, EventTicket, EventReminder]), PaymentsModule, NotificationsModule, UsersModule],
  controllers: [GroupEventsController],
  providers: [GroupEventsPersonalData, GroupEventsService, EventTicketsService, EventViews, EventRemindersService],
})
export class GroupEventsModule {}
