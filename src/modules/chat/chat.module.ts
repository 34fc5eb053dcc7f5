import './chat.errors';
import './chat.events';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { UsersModule } from 'src/modules/users/users.module';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { ChatAccessService } from './chat-access.service';
import { ChatMembershipService } from './chat-membership.service';
import { ChatTextHooks } from './chat-text-hooks';
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
import { MessageChangesService } from './messaging/message-changes.service';
import { MessageHistoryService } from './messaging/message-history.service';
import { MessageSendingService } from './messaging/message-sending.service';
import { MessageViews } from './messaging/message-views.service';
import { RoomsService } from './rooms.service';
import { ChatPersonalData } from './chat-personal-data';

/**
 * Conversations: direct chats, support groups and the support chat share one model,
 * one set of message services and one Socket.IO gateway. Groups and support are their own
 * modules built on the services exported here.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Conversation, ConversationParticipant, Message, MessageEdit, MessageReaction, Attachment, ChatRoom]),
    NotificationsModule,
    UsersModule,
  ],
  controllers: [ChatsController, AttachmentsController],
  providers: [
    ChatPersonalData,
    ChatAccessService,
    ChatMembershipService,
    MessageCipher,
    ConversationsService,
    MessageViews,
    MessageSendingService,
    MessageHistoryService,
    MessageChangesService,
    RoomsService,
    AttachmentsService,
    ClientEvents,
    ChatTextHooks,
    ChatGateway,
  ],
  exports: [ChatAccessService, ChatMembershipService, AttachmentsService, MessageSendingService, ConversationsService, ClientEvents, ChatTextHooks],
})
export class ChatModule {}
