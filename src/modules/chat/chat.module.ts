import './chat.errors';
import './chat.events';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { User } from 'src/modules/users/user.entity';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { ChatAccessService } from './chat-access.service';
import { ChatGateway } from './chat.gateway';
import { ClientEvents } from './client-events';
import { ChatsController } from './chats.controller';
import { ConversationsService } from './conversations.service';
import { Attachment } from './entities/attachment.entity';
import { ChatRoom } from './entities/chat-room.entity';
import { Conversation } from './entities/conversation.entity';
import { Message, MessageEdit, MessageReaction } from './entities/message.entity';
import { ConversationParticipant } from './entities/participant.entity';
import { MessageCipher } from './message-cipher.service';
import { MessagesService } from './messages.service';
import { RoomsService } from './rooms.service';

/**
 * Conversations: direct chats, support groups and the support chat share one model,
 * one message service and one Socket.IO gateway. Groups and support are their own
 * modules built on the services exported here.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Conversation, ConversationParticipant, Message, MessageEdit, MessageReaction, Attachment, ChatRoom, User]),
    NotificationsModule,
  ],
  controllers: [ChatsController, AttachmentsController],
  providers: [
    ChatAccessService,
    MessageCipher,
    ConversationsService,
    MessagesService,
    RoomsService,
    AttachmentsService,
    ClientEvents,
    ChatGateway,
  ],
  exports: [ChatAccessService, MessagesService, ConversationsService, ClientEvents],
})
export class ChatModule {}
