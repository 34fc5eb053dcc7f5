import './session-reminders.events';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { SessionsModule } from 'src/modules/sessions/sessions.module';
import { UsersModule } from 'src/modules/users/users.module';
import { SessionReminder } from './entities/session-reminder.entity';
import { SessionRemindersController } from './session-reminders.controller';
import { SessionRemindersService } from './session-reminders.service';
import { SessionRemindersPersonalData } from './session-reminders-personal-data';

/**
 * Reminders before care sessions (config.sessions.reminderMinutes, e.g. 24 h and 15 min):
 * an in-app notification, a `session_reminder` socket event and an email to both people,
 * each reminder once. Scheduled, moved and cancelled through the sessions module's
 * SessionHooks, sent by the `session.remind` job.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SessionReminder]), SessionsModule, NotificationsModule, UsersModule],
  controllers: [SessionRemindersController],
  providers: [SessionRemindersPersonalData, SessionRemindersService],
})
export class SessionRemindersModule {}
