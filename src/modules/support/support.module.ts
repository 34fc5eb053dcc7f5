import './support.errors';
import { Module } from '@nestjs/common';
import { ChatModule } from 'src/modules/chat/chat.module';
import { UsersModule } from 'src/modules/users/users.module';
import { SupportController } from './support.controller';
import { SupportEvents } from './support.events';
import { SupportService } from './support.service';

/**
 * The user↔staff support chat (the PTSD app's admin chat): a support conversation per
 * user, the staff list of them, and the `chat_message` socket event. Its messages are
 * chat messages, sent through the chat module's exported MessageSendingService; its
 * conversations go through chat's ChatMembershipService, accounts through the users
 * module's UserDirectoryService.
 */
@Module({
  imports: [ChatModule, UsersModule],
  controllers: [SupportController],
  providers: [SupportService, SupportEvents],
  exports: [SupportService],
})
export class SupportModule {}
