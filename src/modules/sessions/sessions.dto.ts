import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { UserSummaryDto } from 'src/modules/chat/chat.dto';
import { InstantField, SESSION_MAX_MINUTES, SESSION_MIN_MINUTES } from 'src/modules/providers/providers.dto';
import { SESSION_TYPES, SessionType } from 'src/modules/providers/providers.types';
import { SESSION_STATUSES, SessionStatus } from './sessions.types';

export const TITLE_MAX_LENGTH = 200;
export const NOTES_MAX_LENGTH = 5000;
export const REASON_MAX_LENGTH = 500;

const TRANSITIONS =
  'Statuses: `upcoming` → `upcoming` (reschedule: client or provider), → `cancelled` (client, provider, or staff with sessions:oversee; ' +
  'inside the notice window it is a late cancellation), → `completed` or `no_show` (the provider, after the start). Other statuses are final.';

/**
 * Book a session. The provider is `friend_id` (HumanLink), `provider_id` or `counselor_id`
 * (SafeTalk): exactly one. The start is `scheduled_at` or SafeTalk's `scheduled_date`. The
 * price comes from the provider's profile; `price` and `status` are refused.
 */
export class BookSessionDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The therapist or friend (HumanLink). Exactly one of friend_id, provider_id, counselor_id.' })
  @Optional()
  @IsUUID('all', { message: 'friend_id must be a UUID' })
  friend_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Alias of friend_id.' })
  @Optional()
  @IsUUID('all', { message: 'provider_id must be a UUID' })
  provider_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Alias of friend_id (SafeTalk).' })
  @Optional()
  @IsUUID('all', { message: 'counselor_id must be a UUID' })
  counselor_id?: string;

  @ApiProperty({ enum: SESSION_TYPES })
  @IsIn(SESSION_TYPES, { message: `type must be one of: ${SESSION_TYPES.join(', ')}` })
  type!: SessionType;

  @InstantField('scheduled_at', { optional: true, description: 'Start, in the future, inside the provider’s availability. Exactly one of scheduled_at, scheduled_date.' })
  scheduled_at?: string;

  @InstantField('scheduled_date', { optional: true, description: 'Alias of scheduled_at (SafeTalk).' })
  scheduled_date?: string;

  @ApiProperty({ minimum: SESSION_MIN_MINUTES, maximum: SESSION_MAX_MINUTES, example: 60 })
  @IsInt()
  @Min(SESSION_MIN_MINUTES)
  @Max(SESSION_MAX_MINUTES)
  duration_minutes!: number;

  @ApiPropertyOptional({ maxLength: TITLE_MAX_LENGTH, example: 'First session' })
  @Optional()
  @IsString()
  @MaxLength(TITLE_MAX_LENGTH)
  title?: string;

  @ApiPropertyOptional({ maxLength: NOTES_MAX_LENGTH, description: 'Shown only to the two people; encrypted at rest.' })
  @Optional()
  @IsString()
  @MaxLength(NOTES_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional({ maxLength: NOTES_MAX_LENGTH, description: 'Shown only to the two people; encrypted at rest.' })
  @Optional()
  @IsString()
  @MaxLength(NOTES_MAX_LENGTH)
  notes?: string;
}

/** Move an upcoming session (client or provider): a new start and/or duration, under the booking rules. */
export class RescheduleSessionDto {
  @InstantField('scheduled_at', { optional: true, description: 'New start. At least one of scheduled_at, scheduled_date, duration_minutes.' })
  scheduled_at?: string;

  @InstantField('scheduled_date', { optional: true, description: 'Alias of scheduled_at (SafeTalk).' })
  scheduled_date?: string;

  @ApiPropertyOptional({ minimum: SESSION_MIN_MINUTES, maximum: SESSION_MAX_MINUTES })
  @Optional()
  @IsInt()
  @Min(SESSION_MIN_MINUTES)
  @Max(SESSION_MAX_MINUTES)
  duration_minutes?: number;
}

export class CancelSessionQueryDto {
  @ApiPropertyOptional({ maxLength: REASON_MAX_LENGTH, description: 'Why (shown to the two people; encrypted at rest).' })
  @Optional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}

export class SessionListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: SESSION_TYPES })
  @Optional()
  @IsIn(SESSION_TYPES)
  type?: SessionType;

  @ApiPropertyOptional({ enum: SESSION_STATUSES })
  @Optional()
  @IsIn(SESSION_STATUSES)
  status?: SessionStatus;

  @ApiPropertyOptional({ enum: ['upcoming', 'past'], description: 'upcoming: not yet ended and still upcoming; past: everything else.' })
  @Optional()
  @IsIn(['upcoming', 'past'])
  when?: 'upcoming' | 'past';
}

export class SessionPersonDto extends UserSummaryDto {
  @ApiProperty({ maxLength: 201, example: 'Ada Lovelace' })
  name!: string;
}

export class CareSessionDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ type: SessionPersonDto, description: 'The provider (therapist or friend; SafeTalk’s counselor).' })
  friend!: SessionPersonDto;

  @ApiProperty({ type: SessionPersonDto })
  client!: SessionPersonDto;

  @ApiProperty({ enum: SESSION_TYPES })
  type!: SessionType;

  @ApiProperty({ enum: SESSION_STATUSES, description: TRANSITIONS })
  status!: SessionStatus;

  @ApiDateTimeProperty()
  scheduled_at!: string;

  @ApiDateTimeProperty({ description: 'Same as scheduled_at (SafeTalk).' })
  scheduled_date!: string;

  @ApiDateTimeProperty()
  ends_at!: string;

  @ApiProperty({ minimum: SESSION_MIN_MINUTES, maximum: SESSION_MAX_MINUTES })
  duration_minutes!: number;

  @ApiProperty({ example: '49.99', maxLength: 11, description: 'From the provider’s profile at booking.' })
  price!: string;

  @ApiProperty({ example: 'EUR', maxLength: 3 })
  currency!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: TITLE_MAX_LENGTH })
  title!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: NOTES_MAX_LENGTH, description: 'Only to the two people.' })
  description!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: NOTES_MAX_LENGTH, description: 'Only to the two people.' })
  notes!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 2048, description: 'Voice and video sessions, only to the two people.' })
  join_url!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The direct chat between the two.' })
  chat_id!: string | null;

  @ApiProperty({ description: 'Cancelled inside the notice window.' })
  late_cancellation!: boolean;

  @ApiProperty({ type: String, nullable: true, maxLength: REASON_MAX_LENGTH, description: 'Only to the two people.' })
  cancel_reason!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  cancelled_by_id!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was cancelled, completed or marked a no-show.' })
  closed_at!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}
