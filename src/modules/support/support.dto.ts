import { ApiProperty } from '@nestjs/swagger';
import { UserSummaryDto } from 'src/modules/chat/chat.dto';

export class SocketConnectionDto {
  @ApiProperty({ example: 'http://localhost:3000', description: 'Socket.IO server URL.' })
  url!: string;

  @ApiProperty({ example: '/socket.io', description: 'Socket.IO path.' })
  path!: string;

  @ApiProperty({ example: '/', description: 'Socket.IO namespace.' })
  namespace!: string;

  @ApiProperty({ example: 'token', description: 'Field of the handshake `auth` object that carries your access token (or `Token <api token>`).' })
  auth_field!: string;

  @ApiProperty({ type: [String], example: ['chat_message', 'user_connected', 'user_disconnected'] })
  events!: string[];
}

export class SupportChatDto {
  @ApiProperty({ format: 'uuid', description: 'Your support conversation (use it with /api/v1/chats/{id}/messages).' })
  chat_id!: string;

  @ApiProperty({ format: 'uuid' })
  user_id!: string;

  @ApiProperty({ description: 'Staff see every support conversation and reply to a chosen user.' })
  is_admin!: boolean;

  @ApiProperty({ example: 'ws://localhost:3000/socket.io/?EIO=4&transport=websocket', description: 'Where a plain WebSocket client connects (Socket.IO protocol).' })
  websocket_url!: string;

  @ApiProperty({ type: SocketConnectionDto })
  socket!: SocketConnectionDto;
}

export class SupportConversationDto {
  @ApiProperty({ format: 'uuid' })
  chat_id!: string;

  @ApiProperty({ type: UserSummaryDto })
  user!: UserSummaryDto;

  @ApiProperty({ description: 'Messages from the user after your read position.' })
  unread_count!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_message_at!: string | null;

  @ApiProperty({ description: 'Whether the user has a socket connected right now.' })
  online!: boolean;
}
