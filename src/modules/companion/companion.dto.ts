import { CRISIS_CATEGORIES } from 'src/modules/safety/safety.types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { Optional } from 'src/common/validation/presence';
import { UuidField } from 'src/common/validation/uuid-param';
import { COMPANION_SENDERS, CompanionSender, REPLY_SOURCES, ReplySource } from './companion.types';

export const TEXT_MAX_LENGTH = 4000;
export const TITLE_MAX_LENGTH = 120;
export const MAX_MESSAGES_PER_PAGE = 100;

export class CreateCompanionConversationDto {
  @ApiPropertyOptional({ maxLength: TITLE_MAX_LENGTH, example: 'Evening check-in', description: 'Encrypted at rest.' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(TITLE_MAX_LENGTH)
  title?: string;
}

export class SendCompanionMessageDto {
  @ApiProperty({ minLength: 1, maxLength: TEXT_MAX_LENGTH, example: "I'm feeling anxious today" })
  @IsString()
  @MinLength(1, { message: `text must be 1-${TEXT_MAX_LENGTH} characters` })
  @MaxLength(TEXT_MAX_LENGTH, { message: `text must be 1-${TEXT_MAX_LENGTH} characters` })
  text!: string;
}

/** The `companion_send` socket event: a message to one of your companion conversations. */
export class CompanionSendEventDto extends SendCompanionMessageDto {
  @UuidField({ description: 'Your companion conversation.' })
  conversation_id!: string;
}

export class CompanionHistoryQueryDto {
  @UuidField({ optional: true, description: 'Messages older than this one (the next page back).' })
  before?: string;

  @UuidField({ optional: true, description: 'Messages newer than this one (the page right after it).' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_MESSAGES_PER_PAGE, default: 50 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_MESSAGES_PER_PAGE)
  limit: number = 50;
}

export class CompanionConversationDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: TITLE_MAX_LENGTH })
  title!: string | null;

  @ApiProperty({ description: 'Messages in the conversation (yours, replies and system messages).' })
  message_count!: number;

  @ApiDateTimeProperty({ nullable: true })
  last_message_at!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}

export class CompanionMessageDto {
  @ApiUuidProperty()
  id!: string;

  @ApiUuidProperty()
  conversation_id!: string;

  @ApiProperty({ enum: COMPANION_SENDERS, description: 'The PTSD app’s `gpt` is `assistant`.' })
  sender!: CompanionSender;

  @ApiProperty({ maxLength: 20_000 })
  text!: string;

  @ApiProperty({ enum: REPLY_SOURCES, nullable: true, description: 'Replies only: `model`, `offline` or `offline_fallback`; null for your messages.' })
  source!: ReplySource | null;

  @ApiProperty({ description: 'Whether the (user’s) message pointed to a crisis.' })
  crisis!: boolean;

  @ApiProperty({ type: 'array', maxItems: CRISIS_CATEGORIES.length, items: { type: 'string', enum: [...CRISIS_CATEGORIES] }, description: 'The crisis categories detected in the user’s message (empty for most messages).' })
  keywords_detected!: string[];

  @ApiDateTimeProperty()
  created_at!: string;
}

/** A message and its reply, named as SafeTalk's AI message (`user_message`, `ai_response`, `keywords_detected`, `created_at`). */
export class CompanionExchangeDto {
  @ApiUuidProperty()
  conversation_id!: string;

  @ApiUuidProperty()
  user_message_id!: string;

  @ApiProperty({ maxLength: TEXT_MAX_LENGTH })
  user_message!: string;

  @ApiUuidProperty()
  ai_message_id!: string;

  @ApiProperty({ maxLength: 20_000, description: 'The reply; in a crisis it starts with the crisis resources.' })
  ai_response!: string;

  @ApiProperty({ enum: ['assistant', 'system'], description: '`system`: the crisis resources alone (a crisis after the daily quota is used up).' })
  ai_sender!: CompanionSender;

  @ApiProperty({ enum: REPLY_SOURCES })
  source!: ReplySource;

  @ApiProperty({ description: 'The crisis detector found crisis language; the reply starts with helplines and your safety plan.' })
  crisis!: boolean;

  @ApiProperty({ type: 'array', maxItems: CRISIS_CATEGORIES.length, items: { type: 'string', enum: [...CRISIS_CATEGORIES] }, example: [], description: 'The crisis detector’s categories for your message (e.g. `suicidal_ideation`); empty when none.' })
  keywords_detected!: string[];

  @ApiDateTimeProperty({ description: 'When the reply was stored.' })
  created_at!: string;
}

/** One streamed piece of a reply (socket event `companion_reply_chunk`), in `index` order. */
export interface CompanionReplyChunk {
  conversation_id: string;
  message_id: string;
  index: number;
  text: string;
}
