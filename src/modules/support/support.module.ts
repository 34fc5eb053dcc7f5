import './support.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChatModule } from 'src/modules/chat/chat.module';
import { Conversation } from 'src/modules/chat/entities/conversation.entity';
import { ConversationParticipant } from 'src/modules/chat/entities/participant.entity';
import { User } from 'src/modules/users/user.entity';
import { SupportController } from './support.controller';
import { SupportEvents } from './support.events';
import { SupportService } from './support.service';

/**
 * The user↔staff support chat (the PTSD app's admin chat): a support conversation per
 * user, the staff list of them, and the `chat_message` socket event. Its messages are
 * chat messages, sent through the chat module's exported MessagesService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Conversation, ConversationParticipant, User]), ChatModule],
  controllers: [SupportController],
  providers: [SupportService, SupportEvents],
})
export class SupportModule {}
