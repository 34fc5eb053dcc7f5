import { Injectable, OnModuleInit } from '@nestjs/common';
import { isStaff } from 'src/common/access/permissions';
import { AppException } from 'src/common/errors/app.exception';
import { validatePayload } from 'src/common/errors/socket-errors';
import { chatRoom, RealtimeServer } from 'src/infrastructure/realtime/realtime.server';
import { SupportChatMessageDto } from 'src/modules/chat/chat-socket.dto';
import { MessageDto } from 'src/modules/chat/chat.dto';
import { ClientEvents, HavenSocket } from 'src/modules/chat/client-events';
import { MessageSendingService } from 'src/modules/chat/messaging/message-sending.service';
import { SupportService } from './support.service';

/**
 * The PTSD app's support chat over Socket.IO: `chat_message` from a user goes to the
 * support team; staff answer a chosen user (`user_id`). Registered with the chat gateway's
 * client events, so the gateway does not know the support feature.
 */
@Injectable()
export class SupportEvents implements OnModuleInit {
  constructor(
    private readonly events: ClientEvents,
    private readonly support: SupportService,
    private readonly messages: MessageSendingService,
    private readonly realtime: RealtimeServer,
  ) {}

  onModuleInit(): void {
    this.events.handle('chat_message', (socket, body) => this.chatMessage(socket, body));
  }

  private async chatMessage(socket: HavenSocket, body: unknown): Promise<MessageDto> {
    const dto = await validatePayload(SupportChatMessageDto, body);
    const principal = socket.data.principal;
    let conversation;
    if (isStaff(principal.role) && dto.user_id) {
      conversation = await this.support.conversationForStaffReply(dto.user_id);
    } else if (dto.user_id && dto.user_id !== principal.userId) {
      throw new AppException('COMMON.FORBIDDEN', 'Only staff choose whom to answer.', { user_id: ['only staff may set user_id'] });
    } else {
      conversation = await this.support.conversationOf(principal.userId);
      await this.realtime.joinSocket(socket, chatRoom(conversation.id));
    }
    return this.messages.send(principal, conversation.id, { text: dto.message }, { socketId: socket.id });
  }
}
