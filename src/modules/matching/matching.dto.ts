import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { UserSummaryDto } from 'src/modules/chat/chat.dto';
import { ProviderDto } from 'src/modules/providers/providers.dto';
import { SESSION_TYPES, SessionType } from 'src/modules/providers/providers.types';
import { MATCH_STATUSES, MatchStatus } from './matching.types';

export const MAX_PREFERRED_LANGUAGES = 10;
export const MAX_TOPICS = 10;
export const TOPIC_MAX_LENGTH = 60;
export const MAX_REASONS = 5;
export const SUGGESTIONS_MAX = 50;
export const SUGGESTIONS_DEFAULT = 10;

const TOPIC_PATTERN = /^[a-z0-9][a-z0-9 _-]*$/;
const lowerTrim = Transform(({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value,
);

/** Staff make a match. The provider is `friend_id` (HumanLink) or its alias `provider_id`: exactly one. */
export class CreateMatchDto {
  @ApiProperty({ format: 'uuid', description: 'An active client.' })
  @IsUUID('all', { message: 'client_id must be a UUID' })
  client_id!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A verified, active therapist or friend. Exactly one of friend_id, provider_id.' })
  @Optional()
  @IsUUID('all', { message: 'friend_id must be a UUID' })
  friend_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Alias of friend_id.' })
  @Optional()
  @IsUUID('all', { message: 'provider_id must be a UUID' })
  provider_id?: string;
}

export class MatchListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: MATCH_STATUSES })
  @Optional()
  @IsIn(MATCH_STATUSES, { message: `status must be one of: ${MATCH_STATUSES.join(', ')}` })
  status?: MatchStatus;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Only matches scored at least this (unscored matches are left out).' })
  @Optional()
  @Type(() => Number)
  @IsInt({ message: 'compatibility_score_min must be an integer from 0 to 100' })
  @Min(0, { message: 'compatibility_score_min must be an integer from 0 to 100' })
  @Max(100, { message: 'compatibility_score_min must be an integer from 0 to 100' })
  compatibility_score_min?: number;
}

export class MatchPersonDto extends UserSummaryDto {
  @ApiProperty({ maxLength: 201, example: 'Sarah Miles' })
  name!: string;
}

const STATUS_RULES =
  '`pending` → `accepted` or `declined`, by the match’s client only. A declined match is closed: staff may make a new one for the pair.';

export class MatchDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ type: MatchPersonDto, description: 'The provider (therapist or friend).' })
  friend!: MatchPersonDto;

  @ApiProperty({ type: MatchPersonDto })
  client!: MatchPersonDto;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100, example: 55, description: 'Null until the background job computed it.' })
  compatibility_score!: number | null;

  @ApiProperty({ items: { type: 'string', maxLength: 200 }, type: [String], maxItems: MAX_REASONS, example: ['shares 3 interests: music, hiking, chess', 'speaks your language: Russian'] })
  reasons!: string[];

  @ApiProperty({ enum: MATCH_STATUSES, description: STATUS_RULES })
  status!: MatchStatus;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The staff member who made the match.' })
  created_by!: string | null;

  @ApiDateTimeProperty({ nullable: true, description: 'When the score was last computed.' })
  scored_at!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}

/** The caller's matching preferences (PUT replaces them; a field left out becomes empty). */
export class MatchingPreferencesInputDto {
  @ApiPropertyOptional({ items: { type: 'string', maxLength: 8 }, type: [String], maxItems: MAX_PREFERRED_LANGUAGES, example: ['ru', 'en'], description: 'ISO 639-1 codes, most preferred first.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_PREFERRED_LANGUAGES)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[a-z]{2}$/, { each: true, message: 'languages must be ISO 639-1 codes such as en' })
  languages?: string[];

  @ApiPropertyOptional({ items: { type: 'string', maxLength: TOPIC_MAX_LENGTH },
    type: [String],
    maxItems: MAX_TOPICS,
    example: ['anxiety', 'sleep'],
    description: 'What you would like help with; compared with providers’ specialties (lower-case tags).',
  })
  @Optional()
  @lowerTrim
  @IsArray()
  @ArrayMaxSize(MAX_TOPICS)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(2, { each: true })
  @MaxLength(TOPIC_MAX_LENGTH, { each: true })
  @Matches(TOPIC_PATTERN, { each: true, message: 'topics must be lower-case letters, digits, spaces, - or _' })
  topics?: string[];

  @ApiPropertyOptional({ maxItems: SESSION_TYPES.length, enum: SESSION_TYPES, isArray: true, example: ['video'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(SESSION_TYPES.length)
  @ArrayUnique()
  @IsIn(SESSION_TYPES, { each: true, message: `session_types must each be one of: ${SESSION_TYPES.join(', ')}` })
  session_types?: SessionType[];
}

export class MatchingPreferencesDto {
  @ApiProperty({ items: { type: 'string', maxLength: 8 }, type: [String], maxItems: MAX_PREFERRED_LANGUAGES })
  languages!: string[];

  @ApiProperty({ items: { type: 'string', maxLength: TOPIC_MAX_LENGTH }, type: [String], maxItems: MAX_TOPICS })
  topics!: string[];

  @ApiProperty({ maxItems: SESSION_TYPES.length, enum: SESSION_TYPES, isArray: true })
  session_types!: SessionType[];

  @ApiDateTimeProperty({ nullable: true, description: 'Null until first saved.' })
  updated_at!: string | null;
}

export class SuggestionsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: SUGGESTIONS_MAX, default: SUGGESTIONS_DEFAULT })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(SUGGESTIONS_MAX)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Staff only: suggestions for this client instead of yourself.' })
  @Optional()
  @IsUUID('all', { message: 'client_id must be a UUID' })
  client_id?: string;
}

export class SuggestionDto {
  @ApiProperty({ type: ProviderDto })
  friend!: ProviderDto;

  @ApiProperty({ minimum: 0, maximum: 100, example: 55 })
  compatibility_score!: number;

  @ApiProperty({ items: { type: 'string', maxLength: 200 }, type: [String], maxItems: MAX_REASONS })
  reasons!: string[];
}
