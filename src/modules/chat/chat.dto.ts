import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { ConversationKind, ConversationStatus } from './entities/conversation.entity';
import { MessageType } from './entities/message.entity';
import { RoomType } from './entities/chat-room.entity';
import { Optional } from 'src/common/validation/presence';

/** Longest message body, in characters. */
export const MAX_MESSAGE_LENGTH = 10_000;
const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class CreateChatDto {
  @ApiProperty({ format: 'uuid', description: 'The other person: a verified therapist or friend for clients, a client for providers, anyone for staff.' })
  @IsUUID()
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

  @ApiPropertyOptional({ format: 'uuid', description: 'A message of the same chat this one answers.' })
  @Optional()
  @IsUUID()
  reply_to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An attachment uploaded to this chat (image and file messages).' })
  @Optional()
  @IsUUID()
  attachment_id?: string;

  @ApiPropertyOptional({ default: false, description: 'Flag as an emergency: notifies the other side and staff.' })
  @Optional()
  @IsBoolean()
  emergency?: boolean;

  @ApiPropertyOptional({ maxLength: 64, description: 'Your own id for this send; a retry with the same id returns the stored message instead of a duplicate.' })
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
  @ApiProperty({ example: '❤️', description: 'One emoji.' })
  @IsString()
  @Matches(/^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u200d\ufe0f\u20e3#*0-9]|\p{Emoji_Modifier}){1,16}$/u, {
    message: 'emoji must be a single emoji',
  })
  @MaxLength(32)
  emoji!: string;
}

export const READ_STATUSES = ['sent', 'delivered', 'read'] as const;
export type ReadStatus = (typeof READ_STATUSES)[number];

export class MessageHistoryQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Messages older than this one (newest first).' })
  @Optional()
  @IsUUID()
  before?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Messages newer than this one (the page right after it, newest first).' })
  @Optional()
  @IsUUID()
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  @ApiPropertyOptional({ enum: MessageType })
  @Optional()
  @IsEnum(MessageType)
  message_type?: MessageType;

  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  sender_id?: string;

  @ApiPropertyOptional()
  @Optional()
  @Transform(toBoolean)
  @IsBoolean()
  emergency?: boolean;

  @ApiPropertyOptional({ enum: READ_STATUSES })
  @Optional()
  @IsIn(READ_STATUSES)
  read_status?: ReadStatus;

  @ApiPropertyOptional({ default: false, description: 'Include deleted messages (without their body).' })
  @Optional()
  @Transform(toBoolean)
  @IsBoolean()
  include_deleted: boolean = false;
}

export class UnreadQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 100 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 100;
}

export class UpdateRoomDto {
  @ApiPropertyOptional({ enum: RoomType })
  @Optional()
  @IsEnum(RoomType)
  room_type?: RoomType;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Optional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
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
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Ada' })
  first_name!: string;

  @ApiProperty({ example: 'Lovelace' })
  last_name!: string;

  @ApiProperty({ example: 'therapist' })
  role!: string;
}

export class LastMessageDto {
  @ApiProperty({ type: String, nullable: true, description: 'Shortened text; null when the last message was deleted or has no text.' })
  text!: string | null;

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;

  @ApiProperty({ format: 'uuid', type: String, nullable: true })
  sender_id!: string | null;
}

export class ChatDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ConversationKind })
  kind!: ConversationKind;

  @ApiProperty({ enum: ConversationStatus })
  status!: ConversationStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Groups: the group name.' })
  name!: string | null;

  @ApiProperty({ type: [UserSummaryDto], description: 'Direct and support chats: the participants. Groups: empty (see the members endpoint).' })
  participants!: UserSummaryDto[];

  @ApiProperty({ description: 'Your unread messages in this chat.' })
  unread_count!: number;

  @ApiProperty({ description: 'Whether you get notifications for this chat.' })
  notifications_enabled!: boolean;

  @ApiProperty({ type: LastMessageDto, nullable: true })
  last_message!: LastMessageDto | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  blocked_by!: string | null;

  @ApiProperty()
  member_count!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class ReactionSummaryDto {
  @ApiProperty({ example: '❤️' })
  emoji!: string;

  @ApiProperty()
  count!: number;

  @ApiProperty({ type: [String], format: 'uuid' })
  user_ids!: string[];
}

export class AttachmentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Authorised download URL (send your credentials).' })
  url!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  size!: number;

  @ApiProperty({ example: 'image/png' })
  mime_type!: string;
}

export class MessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  chat_id!: string;

  @ApiProperty({ description: 'Position in the chat (1, 2, …).' })
  seq!: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  sender_id!: string | null;

  @ApiProperty({ enum: MessageType })
  message_type!: MessageType;

  @ApiProperty({ type: String, nullable: true, description: 'Null when deleted.' })
  text!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  reply_to!: string | null;

  @ApiProperty({ type: AttachmentDto, nullable: true })
  attachment!: AttachmentDto | null;

  @ApiProperty({ type: String, nullable: true })
  attachment_url!: string | null;

  @ApiProperty({ type: String, nullable: true })
  attachment_name!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  attachment_size!: number | null;

  @ApiProperty()
  emergency!: boolean;

  @ApiProperty({ enum: READ_STATUSES })
  read_status!: ReadStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  delivered_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  read_at!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  read_by!: string | null;

  @ApiProperty()
  edited!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  edited_at!: string | null;

  @ApiProperty()
  deleted!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deleted_at!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  deleted_by!: string | null;

  @ApiProperty({ type: [ReactionSummaryDto] })
  reactions!: ReactionSummaryDto[];

  @ApiProperty({ type: String, nullable: true })
  client_message_id!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class MessageEditDto {
  @ApiProperty({ description: 'The text before this edit.' })
  previous_text!: string;

  @ApiProperty({ format: 'uuid' })
  edited_by!: string;

  @ApiProperty({ format: 'date-time' })
  edited_at!: string;
}

export class ReadReceiptDto {
  @ApiProperty({ format: 'uuid' })
  chat_id!: string;

  @ApiProperty({ format: 'uuid' })
  user_id!: string;

  @ApiProperty({ description: 'Every message up to this position is read (or delivered).' })
  up_to_seq!: number;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ description: 'Your unread count in this chat afterwards.' })
  unread_count!: number;
}

export class ChatRoomDto {
  @ApiProperty({ format: 'uuid' })
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

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty()
  is_active!: boolean;

  @ApiProperty()
  is_archived!: boolean;
}
