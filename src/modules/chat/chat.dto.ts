import { QueryBoolean } from 'src/common/validation/query-boolean';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { Role } from 'src/common/access/permissions';
import { ApiDateTimeProperty, ApiUuidProperty, UUID_LENGTH } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { UuidField } from 'src/common/validation/uuid-param';
import { NAME_MAX_LENGTH } from 'src/modules/users/user.fields';
import { ConversationKind, ConversationStatus } from './entities/conversation.entity';
import { MessageType } from './entities/message.entity';
import { RoomType } from './entities/chat-room.entity';
import { Optional } from 'src/common/validation/presence';

/** Longest message body, in characters. */
export const MAX_MESSAGE_LENGTH = 10_000;
/** The most messages one history page or unread list holds. */
export const MAX_MESSAGES_PER_PAGE = 100;
/** A reaction: one emoji (sequence), as stored in message_reactions.emoji. */
export const MAX_EMOJI_LENGTH = 32;
/** Group names and descriptions (the conversations columns). */
export const GROUP_NAME_MAX_LENGTH = 120;
export const DESCRIPTION_MAX_LENGTH = 2000;
export const MAX_ROOM_TAGS = 20;
const TAG_MAX_LENGTH = 40;
const CLIENT_MESSAGE_ID_MAX_LENGTH = 64;
/** The attachments columns: the file name (cut to 255 on upload) and the sniffed type. */
const FILE_NAME_MAX_LENGTH = 255;
const MIME_TYPE_MAX_LENGTH = 100;
/** `/api/v1/chats/{id}/attachments/{id}`: the fixed parts and two UUIDs. */
const ATTACHMENT_URL_LENGTH = '/api/v1/chats//attachments/'.length + 2 * UUID_LENGTH;
/** environment.ts caps ATTACHMENT_MAX_BYTES at 100 MiB: no deployment takes or serves a larger file. */
export const ATTACHMENT_MAX_BYTES_LIMIT = 100 * 1024 * 1024;

export class CreateChatDto {
  @UuidField({ description: 'The other person: a verified therapist or friend for clients, a client for providers, anyone for staff.' })
  participant_id!: string;
}

export class ChatListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ConversationKind })
  @Optional()
  @IsEnum(ConversationKind)
  kind?: ConversationKind;

  @ApiPropertyOptional({ enum: ConversationStatus })
  @Optional()
  @IsEnum(ConversationStatus)
  status?: ConversationStatus;
}

export class UpdateChatStatusDto {
  @ApiProperty({ enum: ConversationStatus })
  @IsEnum(ConversationStatus)
  status!: ConversationStatus;
}

export class ToggleNotificationsDto {
  @ApiProperty({ description: 'Mute (false) or unmute (true) this chat for yourself.' })
  @IsBoolean()
  notifications_enabled!: boolean;
}

export class SendMessageDto {
  @ApiPropertyOptional({ maxLength: MAX_MESSAGE_LENGTH, description: 'Required for text messages; a caption for images and files.' })
  @Optional()
  @IsString()
  @MaxLength(MAX_MESSAGE_LENGTH)
  text?: string;

  @ApiPropertyOptional({ enum: MessageType, default: MessageType.Text, description: 'appointment and prescription: therapists only; system: never from clients.' })
  @Optional()
  @IsEnum(MessageType)
  message_type?: MessageType;

  @UuidField({ optional: true, description: 'A message of the same chat this one answers.' })
  reply_to?: string;

  @UuidField({ optional: true, description: 'An attachment uploaded to this chat (image and file messages).' })
  attachment_id?: string;

  @ApiPropertyOptional({ default: false, description: 'Flag as an emergency: notifies the other side and staff.' })
  @Optional()
  @IsBoolean()
  emergency?: boolean;

  @ApiPropertyOptional({
    maxLength: CLIENT_MESSAGE_ID_MAX_LENGTH,
    description: 'Your own id for this send; a retry with the same id returns the stored message instead of a duplicate.',
  })
  @Optional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'client_message_id must be 1-64 letters, digits, _ . : or -' })
  client_message_id?: string;
}

export class EditMessageDto {
  @ApiProperty({ maxLength: MAX_MESSAGE_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_MESSAGE_LENGTH)
  text!: string;
}

export class ReactionDto {
  @ApiProperty({ example: '❤️', maxLength: MAX_EMOJI_LENGTH, description: 'One emoji.' })
  @IsString()
  @Matches(/^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u200d\ufe0f\u20e3#*0-9]|\p{Emoji_Modifier}){1,16}$/u, {
    message: 'emoji must be a single emoji',
  })
  @MaxLength(MAX_EMOJI_LENGTH)
  emoji!: string;
}

export const READ_STATUSES = ['sent', 'delivered', 'read'] as const;
export type ReadStatus = (typeof READ_STATUSES)[number];

export class MessageHistoryQueryDto {
  @UuidField({ optional: true, description: 'Messages older than this one (newest first).' })
  before?: string;

  @UuidField({ optional: true, description: 'Messages newer than this one (the page right after it, newest first).' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_MESSAGES_PER_PAGE, default: 50 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_MESSAGES_PER_PAGE)
  limit: number = 50;

  @ApiPropertyOptional({ enum: MessageType })
  @Optional()
  @IsEnum(MessageType)
  message_type?: MessageType;

  @UuidField({ optional: true })
  sender_id?: string;

  @ApiPropertyOptional()
  @Optional()
  @QueryBoolean()
  @IsBoolean()
  emergency?: boolean;

  @ApiPropertyOptional({ enum: READ_STATUSES })
  @Optional()
  @IsIn(READ_STATUSES)
  read_status?: ReadStatus;

  @ApiPropertyOptional({ default: false, description: 'Include deleted messages (without their body).' })
  @Optional()
  @QueryBoolean()
  @IsBoolean()
  include_deleted: boolean = false;
}

export class UnreadQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_MESSAGES_PER_PAGE, default: MAX_MESSAGES_PER_PAGE })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_MESSAGES_PER_PAGE)
  limit: number = MAX_MESSAGES_PER_PAGE;
}

export class UpdateRoomDto {
  @ApiPropertyOptional({ enum: RoomType })
  @Optional()
  @IsEnum(RoomType)
  room_type?: RoomType;

  @ApiPropertyOptional({ maxLength: DESCRIPTION_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional({ type: 'array', items: { type: 'string', maxLength: TAG_MAX_LENGTH }, maxItems: MAX_ROOM_TAGS })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ROOM_TAGS)
  @IsString({ each: true })
  @MaxLength(TAG_MAX_LENGTH, { each: true })
  tags?: string[];
}

export class RoomPermissionsDto {
  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  therapist_can_send?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  patient_can_send?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  therapist_can_see_history?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  patient_can_see_history?: boolean;
}

// ---------- responses ----------

export class UserSummaryDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: NAME_MAX_LENGTH, example: 'Ada' })
  first_name!: string;

  @ApiProperty({ maxLength: NAME_MAX_LENGTH, example: 'Lovelace' })
  last_name!: string;

  @ApiProperty({ enum: Role, example: Role.Therapist })
  role!: string;
}

export class LastMessageDto {
  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: MAX_MESSAGE_LENGTH,
    description: 'Shortened text; null when the last message was deleted or has no text.',
  })
  text!: string | null;

  @ApiDateTimeProperty()
  timestamp!: string;

  @ApiUuidProperty({ nullable: true })
  sender_id!: string | null;
}

export class ChatDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ enum: ConversationKind })
  kind!: ConversationKind;

  @ApiProperty({ enum: ConversationStatus })
  status!: ConversationStatus;

  @ApiProperty({ type: String, nullable: true, maxLength: GROUP_NAME_MAX_LENGTH, description: 'Groups: the group name.' })
  name!: string | null;

  @ApiProperty({ type: [UserSummaryDto], description: 'Direct and support chats: the participants. Groups: empty (see the members endpoint).' })
  participants!: UserSummaryDto[];

  @ApiProperty({ description: 'Your unread messages in this chat.' })
  unread_count!: number;

  @ApiProperty({ description: 'Whether you get notifications for this chat.' })
  notifications_enabled!: boolean;

  @ApiProperty({ type: LastMessageDto, nullable: true })
  last_message!: LastMessageDto | null;

  @ApiUuidProperty({ nullable: true })
  blocked_by!: string | null;

  @ApiProperty()
  member_count!: number;

  @ApiDateTimeProperty()
  created_at!: string;
}

export class ReactionSummaryDto {
  @ApiProperty({ example: '❤️', maxLength: MAX_EMOJI_LENGTH })
  emoji!: string;

  @ApiProperty()
  count!: number;

  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid', maxLength: UUID_LENGTH } })
  user_ids!: string[];
}

export class AttachmentDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ format: 'uri-reference', maxLength: ATTACHMENT_URL_LENGTH, description: 'Authorised download URL (send your credentials).' })
  url!: string;

  @ApiProperty({ maxLength: FILE_NAME_MAX_LENGTH })
  name!: string;

  @ApiProperty()
  size!: number;

  @ApiProperty({ example: 'image/png', maxLength: MIME_TYPE_MAX_LENGTH })
  mime_type!: string;
}

export class MessageDto {
  @ApiUuidProperty()
  id!: string;

  @ApiUuidProperty()
  chat_id!: string;

  @ApiProperty({ description: 'Position in the chat (1, 2, …).' })
  seq!: number;

  @ApiUuidProperty({ nullable: true })
  sender_id!: string | null;

  @ApiProperty({ enum: MessageType })
  message_type!: MessageType;

  @ApiProperty({ type: String, nullable: true, maxLength: MAX_MESSAGE_LENGTH, description: 'Null when deleted.' })
  text!: string | null;

  @ApiUuidProperty({ nullable: true })
  reply_to!: string | null;

  @ApiProperty({ type: AttachmentDto, nullable: true })
  attachment!: AttachmentDto | null;

  @ApiProperty({ type: String, nullable: true, format: 'uri-reference', maxLength: ATTACHMENT_URL_LENGTH })
  attachment_url!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: FILE_NAME_MAX_LENGTH })
  attachment_name!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  attachment_size!: number | null;

  @ApiProperty()
  emergency!: boolean;

  @ApiProperty({ enum: READ_STATUSES })
  read_status!: ReadStatus;

  @ApiDateTimeProperty({ nullable: true })
  delivered_at!: string | null;

  @ApiDateTimeProperty({ nullable: true })
  read_at!: string | null;

  @ApiUuidProperty({ nullable: true })
  read_by!: string | null;

  @ApiProperty()
  edited!: boolean;

  @ApiDateTimeProperty({ nullable: true })
  edited_at!: string | null;

  @ApiProperty()
  deleted!: boolean;

  @ApiDateTimeProperty({ nullable: true })
  deleted_at!: string | null;

  @ApiUuidProperty({ nullable: true })
  deleted_by!: string | null;

  @ApiProperty({ type: [ReactionSummaryDto] })
  reactions!: ReactionSummaryDto[];

  @ApiProperty({ type: String, nullable: true, maxLength: CLIENT_MESSAGE_ID_MAX_LENGTH })
  client_message_id!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;
}

export class MessageEditDto {
  @ApiProperty({ maxLength: MAX_MESSAGE_LENGTH, description: 'The text before this edit.' })
  previous_text!: string;

  @ApiUuidProperty()
  edited_by!: string;

  @ApiDateTimeProperty()
  edited_at!: string;
}

export class ReadReceiptDto {
  @ApiUuidProperty()
  chat_id!: string;

  @ApiUuidProperty()
  user_id!: string;

  @ApiProperty({ description: 'Every message up to this position is read (or delivered).' })
  up_to_seq!: number;

  @ApiDateTimeProperty()
  at!: string;

  @ApiProperty({ description: 'Your unread count in this chat afterwards.' })
  unread_count!: number;
}

export class ChatRoomDto {
  @ApiUuidProperty()
  chat_id!: string;

  @ApiProperty({ enum: RoomType })
  room_type!: RoomType;

  @ApiProperty()
  therapist_can_send!: boolean;

  @ApiProperty()
  patient_can_send!: boolean;

  @ApiProperty()
  therapist_can_see_history!: boolean;

  @ApiProperty()
  patient_can_see_history!: boolean;

  @ApiProperty({ maxLength: DESCRIPTION_MAX_LENGTH })
  description!: string;

  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: TAG_MAX_LENGTH }, maxItems: MAX_ROOM_TAGS })
  tags!: string[];

  @ApiProperty()
  is_active!: boolean;

  @ApiProperty()
  is_archived!: boolean;
}
