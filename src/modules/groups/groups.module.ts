import './groups.errors';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChatModule } from 'src/modules/chat/chat.module';
import { Conversation } from 'src/modules/chat/entities/conversation.entity';
import { ConversationParticipant } from 'src/modules/chat/entities/participant.entity';
import { User } from 'src/modules/users/user.entity';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';

/**
 * SafeTalk support groups: list, create (verified therapists and staff), join, leave,
 * members, moderation. A group is a conversation of kind `group`, so its messages,
 * receipts and sockets are the chat module's; access checks go through its exported
 * ChatAccessService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Conversation, ConversationParticipant, User]), ChatModule],
  controllers: [GroupsController],
  providers: [GroupsService],
})
export class GroupsModule {}
