import './sessions.errors';
import './sessions.events';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChatModule } from 'src/modules/chat/chat.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { ProvidersModule } from 'src/modules/providers/providers.module';
import { UsersModule } from 'src/modules/users/users.module';
import { CareSession } from './entities/care-session.entity';
import { JitsiMeetingRooms, MeetingRooms } from './meeting-rooms';
import { SessionHooks } from './session-hooks';
import { CareSessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { SessionsPersonalData } from './sessions-personal-data';

/**
 * Care sessions: booking in a provider's free time (no double booking, held by exclusion
 * constraints), rescheduling, cancelling, completing. Exports SessionsService (counts for
 * profile stats, the session lookup for feedback) and SessionHooks (reminders register there).
 */
@Module({
  imports: [TypeOrmModule.forFeature([CareSession]), ProvidersModule, ChatModule, NotificationsModule, UsersModule],
  controllers: [CareSessionsController],
  providers: [SessionsPersonalData, SessionsService, SessionHooks, { provide: MeetingRooms, useClass: JitsiMeetingRooms }],
  exports: [SessionsService, SessionHooks],
})
export class SessionsModule {}
