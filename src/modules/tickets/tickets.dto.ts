import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty, UUID_LENGTH } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { QueryBoolean } from 'src/common/validation/query-boolean';
import { UuidField } from 'src/common/validation/uuid-param';
import { AttachmentDto, UserSummaryDto } from 'src/modules/chat/chat.dto';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUSES, type TicketCategory, type TicketPriority, type TicketStatus } from './tickets.types';

export const SUBJECT_MAX_LENGTH = 200;
export const BODY_MAX_LENGTH = 10_000;
export const NOTE_MAX_LENGTH = 4000;
export const MAX_REPLY_ATTACHMENTS = 10;
/** A thread longer than this is cut to its latest replies (and notes). */
export const MAX_THREAD = 500;

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export class SupportTicketReplyDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ type: UserSummaryDto, nullable: true, description: 'Null once the author’s data was erased.' })
  author!: UserSummaryDto | null;

  @ApiProperty({ description: 'Written by the support team (else by the requester).' })
  from_staff!: boolean;

  @ApiProperty({ type: String, nullable: true, maxLength: BODY_MAX_LENGTH, description: 'Null once the author’s data was erased.' })
  body!: string | null;

  @ApiProperty({ type: [AttachmentDto], maxItems: MAX_REPLY_ATTACHMENTS })
  attachments!: AttachmentDto[];

  @ApiDateTimeProperty()
  created_at!: string;
}

export class SupportTicketNoteDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ type: UserSummaryDto, nullable: true, description: 'Null once the author’s data was erased.' })
  author!: UserSummaryDto | null;

  @ApiProperty({ type: String, nullable: true, maxLength: NOTE_MAX_LENGTH })
  body!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;
}

/** A ticket without its thread (lists). */
export class SupportTicketDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ minimum: 1, example: 42, description: 'The short reference (#42) to quote.' })
  number!: number;

  @ApiProperty({ maxLength: SUBJECT_MAX_LENGTH })
  subject!: string;

  @ApiProperty({ enum: TICKET_CATEGORIES })
  category!: TicketCategory;

  @ApiProperty({ enum: TICKET_PRIORITIES })
  priority!: TicketPriority;

  @ApiProperty({ enum: TICKET_STATUSES })
  status!: TicketStatus;

  @ApiProperty({ type: UserSummaryDto, nullable: true, description: 'Who opened it.' })
  requester!: UserSummaryDto | null;

  @ApiProperty({ type: UserSummaryDto, nullable: true, description: 'The staff member working on it.' })
  assignee!: UserSummaryDto | null;

  @ApiUuidProperty({ nullable: true, description: 'The requester’s support chat (upload attachments there: /api/v1/chats/{id}/attachments).' })
  support_chat_id!: string | null;

  @ApiUuidProperty({ nullable: true, description: 'The support-chat message the ticket was opened from.' })
  support_chat_message_id!: string | null;

  @ApiDateTimeProperty({ nullable: true, description: 'The first staff reply.' })
  first_response_at!: string | null;

  @ApiDateTimeProperty({ nullable: true, description: 'When it was resolved (cleared on reopen).' })
  resolved_at!: string | null;

  @ApiDateTimeProperty({ nullable: true, description: 'When it was closed (cleared on reopen).' })
  closed_at!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty({ description: 'The last reply, note or change.' })
  updated_at!: string;
}

/** A ticket with its body and public thread: what the requester sees. */
export class SupportTicketDetailDto extends SupportTicketDto {
  @ApiProperty({ maxLength: BODY_MAX_LENGTH })
  body!: string;

  @ApiProperty({ type: [SupportTicketReplyDto], maxItems: MAX_THREAD, description: 'Oldest first.' })
  replies!: SupportTicketReplyDto[];
}

/** A ticket as staff see it: also the internal notes. */
export class SupportTicketStaffDetailDto extends SupportTicketDetailDto {
  @ApiProperty({ type: [SupportTicketNoteDto], maxItems: MAX_THREAD, description: 'Internal staff notes, oldest first; never shown to the requester.' })
  notes!: SupportTicketNoteDto[];
}

export class SupportTicketCountsDto {
  @ApiProperty({ minimum: 0 })
  open!: number;

  @ApiProperty({ minimum: 0 })
  pending_on_user!: number;

  @ApiProperty({ minimum: 0 })
  resolved!: number;

  @ApiProperty({ minimum: 0 })
  closed!: number;
}

export class OpenSupportTicketDto {
  @ApiProperty({ minLength: 1, maxLength: SUBJECT_MAX_LENGTH, description: 'Encrypted at rest.' })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(SUBJECT_MAX_LENGTH)
  subject!: string;

  @ApiProperty({ minLength: 1, maxLength: BODY_MAX_LENGTH, description: 'What happened; encrypted at rest.' })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(BODY_MAX_LENGTH)
  body!: string;

  @ApiProperty({ enum: TICKET_CATEGORIES })
  @IsIn(TICKET_CATEGORIES)
  category!: TicketCategory;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES, default: 'normal' })
  @Optional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @UuidField({ optional: true, description: 'Open it from your support chat: a message of yours there (GET /api/v1/support/chat) it refers to.' })
  support_chat_message_id?: string;
}

export class SupportTicketReplyBodyDto {
  @ApiProperty({ minLength: 1, maxLength: BODY_MAX_LENGTH, description: 'Encrypted at rest.' })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(BODY_MAX_LENGTH)
  body!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uuid', maxLength: UUID_LENGTH },
    maxItems: MAX_REPLY_ATTACHMENTS,
    description: 'Files you uploaded to the ticket’s support chat (POST /api/v1/chats/{support_chat_id}/attachments).',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_REPLY_ATTACHMENTS)
  @IsUUID(undefined, { each: true, message: 'each attachment id must be a UUID' })
  attachment_ids?: string[];
}

export class SupportTicketNoteBodyDto {
  @ApiProperty({ minLength: 1, maxLength: NOTE_MAX_LENGTH, description: 'Staff only; encrypted at rest.' })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(NOTE_MAX_LENGTH)
  body!: string;
}

export class AssignSupportTicketDto {
  @ApiProperty({ type: String, format: 'uuid', maxLength: UUID_LENGTH, nullable: true, description: 'An active manager or admin; null unassigns.' })
  @ValidateIf((_, value: unknown) => value !== null)
  @IsUUID(undefined, { message: 'assignee_id must be a UUID or null' })
  assignee_id!: string | null;
}

export class UpdateSupportTicketDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES, description: '`resolved` sets resolved_at, `closed` closed_at; `open` or `pending_on_user` reopens (clears both).' })
  @Optional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES })
  @Optional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ enum: TICKET_CATEGORIES })
  @Optional()
  @IsIn(TICKET_CATEGORIES)
  category?: TicketCategory;
}

export class SupportTicketListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES, description: 'Only tickets in this state.' })
  @Optional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;
}

export class SupportTicketStaffQueryDto extends SupportTicketListQueryDto {
  @ApiPropertyOptional({ enum: TICKET_PRIORITIES })
  @Optional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ enum: TICKET_CATEGORIES })
  @Optional()
  @IsIn(TICKET_CATEGORIES)
  category?: TicketCategory;

  @UuidField({ optional: true, description: 'Only tickets assigned to this staff member.' })
  assignee_id?: string;

  @ApiPropertyOptional({ type: Boolean, description: '`true`: only unassigned tickets; `false`: only assigned ones.' })
  @Optional()
  @QueryBoolean()
  @IsBoolean()
  unassigned?: boolean;
}
