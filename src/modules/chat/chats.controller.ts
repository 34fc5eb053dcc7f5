import { Body, Controller, Delete, Get, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { CursorPage, Paginated } from 'src/common/http/envelope';
import { ReqContext, type RequestContext } from 'src/common/http/request-context';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { RateTier } from 'src/infrastructure/rate-limit/rate-tier.decorator';
import {
  ChatDto,
  ChatListQueryDto,
  ChatRoomDto,
  CreateChatDto,
  EditMessageDto,
  MessageDto,
  MessageEditDto,
  MAX_MESSAGES_PER_PAGE,
  MessageHistoryQueryDto,
  MAX_EMOJI_LENGTH,
  ReactionDto,
  ReadReceiptDto,
  RoomPermissionsDto,
  SendMessageDto,
  ToggleNotificationsDto,
  UnreadQueryDto,
  UpdateChatStatusDto,
  UpdateRoomDto,
} from './chat.dto';
import { CHATS_ORDERING, ConversationsService } from './conversations.service';
import { MessageChangesService } from './messaging/message-changes.service';
import { MessageHistoryService } from './messaging/message-history.service';
import { MessageSendingService } from './messaging/message-sending.service';
import { RoomsService } from './rooms.service';

/**
 * Chats of every kind (direct, group, support): the chat itself, its messages, receipts,
 * reactions and (direct chats) room settings. A chat you are not part of answers 404.
 */
@ApiTags('chats')
@Controller('chats')
@Authenticated()
@RateTier('chat')
export class ChatsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly sending: MessageSendingService,
    private readonly reading: MessageHistoryService,
    private readonly changes: MessageChangesService,
    private readonly rooms: RoomsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your chats, most recent activity first, with unread counts and last-message preview.' })
  @ApiOrdering(CHATS_ORDERING)
  @ApiEnvelope(ChatDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: ChatListQueryDto): Promise<Paginated<ChatDto>> {
    return this.conversations.list(user, query);
  }

  @Post()
  @ApiOperation({ summary: 'Create or get the direct chat with another user (one per pair).' })
  @ApiEnvelope(ChatDto)
  @ApiError('CHAT.SELF_CHAT', 'CHAT.CLIENT_TO_CLIENT', 'CHAT.PAIR_NOT_ALLOWED', 'CHAT.PROVIDER_NOT_VERIFIED', 'CHAT.USER_NOT_FOUND')
  createOrGet(@CurrentUser() user: Principal, @Body() dto: CreateChatDto): Promise<ChatDto> {
    return this.conversations.createOrGetDirect(user, dto.participant_id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One chat.' })
  @ApiEnvelope(ChatDto)
  @ApiError('CHAT.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ChatDto> {
    return this.conversations.get(user, id);
  }

  @Post(':id/status')
  @ApiOperation({ summary: 'Set the chat status: active, archived, blocked (either side of a direct chat) or deleted.' })
  @ApiEnvelope(ChatDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.STATUS_CHANGE_FORBIDDEN')
  updateStatus(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: UpdateChatStatusDto): Promise<ChatDto> {
    return this.conversations.updateStatus(user, id, dto.status);
  }

  @Post(':id/notifications')
  @ApiOperation({ summary: 'Mute or unmute the chat for yourself.' })
  @ApiEnvelope(ChatDto)
  @ApiError('CHAT.NOT_FOUND')
  setNotifications(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: ToggleNotificationsDto): Promise<ChatDto> {
    return this.conversations.setNotifications(user, id, dto.notifications_enabled);
  }

  @Post(':id/read')
  @ApiOperation({ summary: 'Mark every message of the chat read.' })
  @ApiEnvelope(ReadReceiptDto)
  @ApiError('CHAT.NOT_FOUND')
  markAllRead(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ReadReceiptDto> {
    return this.reading.receipt(user, id, 'read');
  }

  @Get(':id/messages')
  @ApiOperation({ summary: 'History, newest first, by cursor (`before`/`after` a message id) with filters.' })
  @ApiEnvelope(MessageDto, { cursor: true, maxItems: MAX_MESSAGES_PER_PAGE })
  @ApiError('CHAT.NOT_FOUND', 'CHAT.MESSAGE_NOT_FOUND', 'CHAT.HISTORY_HIDDEN')
  history(
    @CurrentUser() user: Principal,
    @UuidParam('id') id: string,
    @Query() query: MessageHistoryQueryDto,
    @ReqContext() context: RequestContext,
  ): Promise<CursorPage<MessageDto>> {
    return this.reading.history(user, id, query, context);
  }

  @Post(':id/messages')
  @ApiOperation({ summary: 'Send a message (also pushed over Socket.IO).' })
  @ApiEnvelope(MessageDto, { status: HttpStatus.CREATED })
  @ApiError(
    'CHAT.EMPTY_MESSAGE',
    'CHAT.ATTACHMENT_REQUIRED',
    'CHAT.REPLY_OTHER_CHAT',
    'CHAT.BLOCKED',
    'CHAT.SEND_NOT_ALLOWED',
    'CHAT.TYPE_NOT_ALLOWED',
    'CHAT.NOT_FOUND',
    'CHAT.ATTACHMENT_NOT_FOUND',
    'CHAT.NOT_ACTIVE',
  )
  send(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: SendMessageDto): Promise<MessageDto> {
    return this.sending.send(user, id, dto, {});
  }

  @Get(':id/messages/unread')
  @ApiOperation({ summary: 'Your unread messages in this chat, oldest first.' })
  @ApiEnvelope(MessageDto, { list: true, maxItems: MAX_MESSAGES_PER_PAGE })
  @ApiError('CHAT.NOT_FOUND')
  unread(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Query() query: UnreadQueryDto): Promise<MessageDto[]> {
    return this.reading.unread(user, id, query);
  }

  @Get(':id/messages/:messageId')
  @ApiOperation({ summary: 'One message.' })
  @ApiEnvelope(MessageDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.MESSAGE_NOT_FOUND')
  getMessage(
    @CurrentUser() user: Principal,
    @UuidParam('id') id: string,
    @UuidParam('messageId') messageId: string,
    @ReqContext() context: RequestContext,
  ): Promise<MessageDto> {
    return this.reading.getOne(user, id, messageId, context);
  }

  @Patch(':id/messages/:messageId')
  @ApiOperation({ summary: 'Edit your message; the previous text is kept in its edit history.' })
  @ApiEnvelope(MessageDto)
  @ApiError('CHAT.NOT_SENDER', 'CHAT.BLOCKED', 'CHAT.NOT_FOUND', 'CHAT.MESSAGE_NOT_FOUND', 'CHAT.MESSAGE_DELETED')
  edit(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string, @Body() dto: EditMessageDto): Promise<MessageDto> {
    return this.changes.edit(user, id, messageId, dto);
  }

  @Delete(':id/messages/:messageId')
  @ApiOperation({ summary: 'Delete a message (soft: the text is gone for everyone). Senders, and moderators in groups.' })
  @ApiEnvelope(MessageDto)
  @ApiError('CHAT.NOT_SENDER', 'CHAT.NOT_FOUND', 'CHAT.MESSAGE_NOT_FOUND')
  remove(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string): Promise<MessageDto> {
    return this.changes.remove(user, id, messageId);
  }

  @Get(':id/messages/:messageId/edits')
  @ApiOperation({ summary: 'Edit history of a message, oldest first.' })
  @ApiEnvelope(MessageEditDto, { list: true })
  @ApiError('CHAT.NOT_FOUND', 'CHAT.MESSAGE_NOT_FOUND')
  edits(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string): Promise<MessageEditDto[]> {
    return this.changes.editHistory(user, id, messageId);
  }

  @Post(':id/messages/:messageId/read')
  @ApiOperation({ summary: 'Mark a message (and everything before it) read.' })
  @ApiEnvelope(ReadReceiptDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.MESSAGE_NOT_FOUND')
  markRead(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string): Promise<ReadReceiptDto> {
    return this.reading.receipt(user, id, 'read', messageId);
  }

  @Post(':id/messages/:messageId/delivered')
  @ApiOperation({ summary: 'Report that your device received a message (and everything before it).' })
  @ApiEnvelope(ReadReceiptDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.MESSAGE_NOT_FOUND')
  markDelivered(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string): Promise<ReadReceiptDto> {
    return this.reading.receipt(user, id, 'delivered', messageId);
  }

  @Post(':id/messages/:messageId/emergency')
  @ApiOperation({ summary: 'Flag a message as an emergency: the other side and staff are notified.' })
  @ApiEnvelope(MessageDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.MESSAGE_NOT_FOUND', 'CHAT.MESSAGE_DELETED')
  markEmergency(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string): Promise<MessageDto> {
    return this.changes.markEmergency(user, id, messageId);
  }

  @Post(':id/messages/:messageId/reactions')
  @ApiOperation({ summary: 'React with an emoji (one of each emoji per user).' })
  @ApiEnvelope(MessageDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.MESSAGE_NOT_FOUND', 'CHAT.MESSAGE_DELETED')
  react(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string, @Body() dto: ReactionDto): Promise<MessageDto> {
    return this.changes.addReaction(user, id, messageId, dto.emoji);
  }

  @Delete(':id/messages/:messageId/reactions/:emoji')
  @ApiOperation({ summary: 'Remove your reaction.' })
  @ApiParam({ name: 'emoji', description: 'URL-encoded emoji, as given when reacting.', schema: { type: 'string', maxLength: MAX_EMOJI_LENGTH } })
  @ApiEnvelope(MessageDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.MESSAGE_NOT_FOUND')
  unreact(
    @CurrentUser() user: Principal,
    @UuidParam('id') id: string,
    @UuidParam('messageId') messageId: string,
    @Param('emoji') emoji: string,
  ): Promise<MessageDto> {
    return this.changes.removeReaction(user, id, messageId, emoji);
  }

  @Get(':id/room')
  @ApiOperation({ summary: 'Room settings and permissions of a direct chat.' })
  @ApiEnvelope(ChatRoomDto)
  @ApiError('CHAT.NOT_FOUND')
  room(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ChatRoomDto> {
    return this.rooms.get(user, id);
  }

  @Patch(':id/room')
  @ApiOperation({ summary: 'Change room type, description or tags (the chat’s therapist or staff).' })
  @ApiEnvelope(ChatRoomDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.ROOM_MANAGE_FORBIDDEN')
  updateRoom(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: UpdateRoomDto): Promise<ChatRoomDto> {
    return this.rooms.update(user, id, dto);
  }

  @Post(':id/room/permissions')
  @ApiOperation({ summary: 'Set who may send and see history (the chat’s therapist or staff).' })
  @ApiEnvelope(ChatRoomDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.ROOM_MANAGE_FORBIDDEN')
  updatePermissions(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: RoomPermissionsDto): Promise<ChatRoomDto> {
    return this.rooms.updatePermissions(user, id, dto);
  }

  @Post(':id/room/archive')
  @ApiOperation({ summary: 'Archive the room: no new messages until activated.' })
  @ApiEnvelope(ChatRoomDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.ROOM_MANAGE_FORBIDDEN')
  archiveRoom(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ChatRoomDto> {
    return this.rooms.archive(user, id);
  }

  @Post(':id/room/activate')
  @ApiOperation({ summary: 'Activate an archived room.' })
  @ApiEnvelope(ChatRoomDto)
  @ApiError('CHAT.NOT_FOUND', 'CHAT.ROOM_MANAGE_FORBIDDEN')
  activateRoom(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ChatRoomDto> {
    return this.rooms.activate(user, id);
  }
}
