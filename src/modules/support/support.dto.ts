import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { UserSummaryDto } from 'src/modules/chat/chat.dto';

/**
 * URLs built from PUBLIC_URL or the request's Host (a DNS name of at most 253
 * characters and a port): far below this.
 */
const URL_MAX_LENGTH = 2048;
/** Socket.IO names Haven sets (path, namespace, handshake field, event names). */
const SOCKET_NAME_MAX_LENGTH = 64;
/** Haven's support-chat events: a handful, listed in SUPPORT_EVENTS. */
const MAX_SOCKET_EVENTS = 16;

export class SocketConnectionDto {
  @ApiProperty({ example: 'http://localhost:3000', format: 'uri', maxLength: URL_MAX_LENGTH, description: 'Socket.IO server URL.' })
  url!: string;

  @ApiProperty({ example: '/socket.io', maxLength: SOCKET_NAME_MAX_LENGTH, description: 'Socket.IO path.' })
  path!: string;

  @ApiProperty({ example: '/', maxLength: SOCKET_NAME_MAX_LENGTH, description: 'Socket.IO namespace.' })
  namespace!: string;

  @ApiProperty({
    example: 'token',
    maxLength: SOCKET_NAME_MAX_LENGTH,
    description: 'Field of the handshake `auth` object that carries your access token (or `Token <api token>`).',
  })
  auth_field!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: SOCKET_NAME_MAX_LENGTH },
    maxItems: MAX_SOCKET_EVENTS,
    example: ['chat_message', 'user_connected', 'user_disconnected'],
  })
  events!: string[];
}

export class SupportChatDto {
  @ApiUuidProperty({ description: 'Your support conversation (use it with /api/v1/chats/{id}/messages).' })
  chat_id!: string;

  @ApiUuidProperty()
  user_id!: string;

  @ApiProperty({ description: 'Staff see every support conversation and reply to a chosen user.' })
  is_admin!: boolean;

  @ApiProperty({
    example: 'ws://localhost:3000/socket.io/?EIO=4&transport=websocket',
    format: 'uri',
    maxLength: URL_MAX_LENGTH,
    description: 'Where a plain WebSocket client connects (Socket.IO protocol).',
  })
  websocket_url!: string;

  @ApiProperty({ type: SocketConnectionDto })
  socket!: SocketConnectionDto;
}

export class SupportConversationDto {
  @ApiUuidProperty()
  chat_id!: string;

  @ApiProperty({ type: UserSummaryDto })
  user!: UserSummaryDto;

  @ApiProperty({ description: 'Messages from the user after your read position.' })
  unread_count!: number;

  @ApiDateTimeProperty({ nullable: true })
  last_message_at!: string | null;

  @ApiProperty({ description: 'Whether the user has a socket connected right now.' })
  online!: boolean;
}
