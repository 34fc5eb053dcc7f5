import { Body, Controller, Delete, Get, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { CursorPage, Paginated } from 'src/common/http/envelope';
import { ReqContext, type RequestContext } from 'src/common/http/request-context';
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
  MessageHistoryQueryDto,
  ReactionDto,
  ReadReceiptDto,
  RoomPermissionsDto,
  SendMessageDto,
  ToggleNotificationsDto,
  UnreadQueryDto,
  UpdateChatStatusDto,
  UpdateRoomDto,
} from './chat.dto';
import { ConversationsService } from './conversations.service';
import { MessagesService } from './messages.service';
import { RoomsService } from './rooms.service';

/**
 * Chats of every kind (direct, group, support): the chat itself, its messages, receipts,
 * reactions and (direct chats) room settings. A chat you are not part of answers 404.
 */
@ApiTags('chats')
@Controller('chats')
@Authenticated()
@RateTier('chat')
@ApiError(HttpStatus.NOT_FOUND, 'No such chat or message, or not yours to see.')
export class ChatsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly rooms: RoomsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your chats, most recent activity first, with unread counts and last-message preview.' })
  @ApiEnvelope(ChatDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: ChatListQueryDto): Promise<Paginated<ChatDto>> {
    return this.conversations.list(user, query);
  }

  @Post()
  @ApiOperation({ summary: 'Create or get the direct chat with another user (one per pair).' })
  @ApiEnvelope(ChatDto)
  @ApiError(HttpStatus.FORBIDDEN, 'Not an allowed pair (CHAT.CLIENT_TO_CLIENT, CHAT.PAIR_NOT_ALLOWED, CHAT.PROVIDER_NOT_VERIFIED).')
  createOrGet(@CurrentUser() user: Principal, @Body() dto: CreateChatDto): Promise<ChatDto> {
    return this.conversations.createOrGetDirect(user, dto.participant_id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One chat.' })
  @ApiEnvelope(ChatDto)
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ChatDto> {
    return this.conversations.get(user, id);
  }

  @Post(':id/status')
  @ApiOperation({ summary: 'Set the chat status: active, archived, blocked (either side of a direct chat) or deleted.' })
  @ApiEnvelope(ChatDto)
  @ApiError(HttpStatus.FORBIDDEN, 'CHAT.STATUS_CHANGE_FORBIDDEN')
  updateStatus(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: UpdateChatStatusDto): Promise<ChatDto> {
    return this.conversations.updateStatus(user, id, dto.status);
  }

  @Post(':id/notifications')
  @ApiOperation({ summary: 'Mute or unmute the chat for yourself.' })
  @ApiEnvelope(ChatDto)
  setNotifications(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: ToggleNotificationsDto): Promise<ChatDto> {
    return this.conversations.setNotifications(user, id, dto.notifications_enabled);
  }

  @Post(':id/read')
  @ApiOperation({ summary: 'Mark every message of the chat read.' })
  @ApiEnvelope(ReadReceiptDto)
  markAllRead(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ReadReceiptDto> {
    return this.messages.receipt(user, id, 'read');
  }

  @Get(':id/messages')
  @ApiOperation({ summary: 'History, newest first, by cursor (`before`/`after` a message id) with filters.' })
  @ApiEnvelope(MessageDto, { cursor: true })
  @ApiError(HttpStatus.FORBIDDEN, 'CHAT.HISTORY_HIDDEN: the room hides history from your side.')
  history(
    @CurrentUser() user: Principal,
    @UuidParam('id') id: string,
    @Query() query: MessageHistoryQueryDto,
    @ReqContext() context: RequestContext,
  ): Promise<CursorPage<MessageDto>> {
    return this.messages.history(user, id, query, context);
  }

  @Post(':id/messages')
  @ApiOperation({ summary: 'Send a message (also pushed over Socket.IO).' })
  @ApiEnvelope(MessageDto, { status: HttpStatus.CREATED })
  @ApiError(HttpStatus.FORBIDDEN, 'CHAT.BLOCKED, CHAT.SEND_NOT_ALLOWED or CHAT.TYPE_NOT_ALLOWED.')
  @ApiError(HttpStatus.CONFLICT, 'CHAT.NOT_ACTIVE: archived or deleted chat.')
  send(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: SendMessageDto): Promise<MessageDto> {
    return this.messages.send(user, id, dto, {});
  }

  @Get(':id/messages/unread')
  @ApiOperation({ summary: 'Your unread messages in this chat, oldest first.' })
  @ApiEnvelope(MessageDto, { list: true })
  unread(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Query() query: UnreadQueryDto): Promise<MessageDto[]> {
    return this.messages.unread(user, id, query);
  }

  @Get(':id/messages/:messageId')
  @ApiOperation({ summary: 'One message.' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiEnvelope(MessageDto)
  getMessage(
    @CurrentUser() user: Principal,
    @UuidParam('id') id: string,
    @UuidParam('messageId') messageId: string,
    @ReqContext() context: RequestContext,
  ): Promise<MessageDto> {
    return this.messages.getOne(user, id, messageId, context);
  }

  @Patch(':id/messages/:messageId')
  @ApiOperation({ summary: 'Edit your message; the previous text is kept in its edit history.' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiEnvelope(MessageDto)
  @ApiError(HttpStatus.FORBIDDEN, 'CHAT.NOT_SENDER')
  edit(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string, @Body() dto: EditMessageDto): Promise<MessageDto> {
    return this.messages.edit(user, id, messageId, dto);
  }

  @Delete(':id/messages/:messageId')
  @ApiOperation({ summary: 'Delete a message (soft: the text is gone for everyone). Senders, and moderators in groups.' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiEnvelope(MessageDto)
  @ApiError(HttpStatus.FORBIDDEN, 'CHAT.NOT_SENDER')
  remove(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string): Promise<MessageDto> {
    return this.messages.remove(user, id, messageId);
  }

  @Get(':id/messages/:messageId/edits')
  @ApiOperation({ summary: 'Edit history of a message, oldest first.' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiEnvelope(MessageEditDto, { list: true })
  edits(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string): Promise<MessageEditDto[]> {
    return this.messages.editHistory(user, id, messageId);
  }

  @Post(':id/messages/:messageId/read')
  @ApiOperation({ summary: 'Mark a message (and everything before it) read.' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiEnvelope(ReadReceiptDto)
  markRead(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string): Promise<ReadReceiptDto> {
    return this.messages.receipt(user, id, 'read', messageId);
  }

  @Post(':id/messages/:messageId/delivered')
  @ApiOperation({ summary: 'Report that your device received a message (and everything before it).' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiEnvelope(ReadReceiptDto)
  markDelivered(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string): Promise<ReadReceiptDto> {
    return this.messages.receipt(user, id, 'delivered', messageId);
  }

  @Post(':id/messages/:messageId/emergency')
  @ApiOperation({ summary: 'Flag a message as an emergency: the other side and staff are notified.' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiEnvelope(MessageDto)
  markEmergency(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string): Promise<MessageDto> {
    return this.messages.markEmergency(user, id, messageId);
  }

  @Post(':id/messages/:messageId/reactions')
  @ApiOperation({ summary: 'React with an emoji (one of each emoji per user).' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiEnvelope(MessageDto)
  react(@CurrentUser() user: Principal, @UuidParam('id') id: string, @UuidParam('messageId') messageId: string, @Body() dto: ReactionDto): Promise<MessageDto> {
    return this.messages.addReaction(user, id, messageId, dto.emoji);
  }

  @Delete(':id/messages/:messageId/reactions/:emoji')
  @ApiOperation({ summary: 'Remove your reaction.' })
  @ApiParam({ name: 'messageId', format: 'uuid' })
  @ApiParam({ name: 'emoji', description: 'URL-encoded emoji.' })
  @ApiEnvelope(MessageDto)
  unreact(
    @CurrentUser() user: Principal,
    @UuidParam('id') id: string,
    @UuidParam('messageId') messageId: string,
    @Param('emoji') emoji: string,
  ): Promise<MessageDto> {
    return this.messages.removeReaction(user, id, messageId, emoji);
  }

  @Get(':id/room')
  @ApiOperation({ summary: 'Room settings and permissions of a direct chat.' })
  @ApiEnvelope(ChatRoomDto)
  room(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ChatRoomDto> {
    return this.rooms.get(user, id);
  }

  @Patch(':id/room')
  @ApiOperation({ summary: 'Change room type, description or tags (the chat’s therapist or staff).' })
  @ApiEnvelope(ChatRoomDto)
  @ApiError(HttpStatus.FORBIDDEN, 'CHAT.ROOM_MANAGE_FORBIDDEN')
  updateRoom(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: UpdateRoomDto): Promise<ChatRoomDto> {
    return this.rooms.update(user, id, dto);
  }

  @Post(':id/room/permissions')
  @ApiOperation({ summary: 'Set who may send and see history (the chat’s therapist or staff).' })
  @ApiEnvelope(ChatRoomDto)
  @ApiError(HttpStatus.FORBIDDEN, 'CHAT.ROOM_MANAGE_FORBIDDEN')
  updatePermissions(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: RoomPermissionsDto): Promise<ChatRoomDto> {
    return this.rooms.updatePermissions(user, id, dto);
  }

  @Post(':id/room/archive')
  @ApiOperation({ summary: 'Archive the room: no new messages until activated.' })
  @ApiEnvelope(ChatRoomDto)
  archiveRoom(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ChatRoomDto> {
    return this.rooms.archive(user, id);
  }

  @Post(':id/room/activate')
  @ApiOperation({ summary: 'Activate an archived room.' })
  @ApiEnvelope(ChatRoomDto)
  activateRoom(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<ChatRoomDto> {
    return this.rooms.activate(user, id);
  }
}
