import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { FEEDBACK_CATEGORIES, FeedbackCategory, RATING_MAX, RATING_MIN } from './feedback.types';

export const COMMENT_MAX_LENGTH = 2000;

/** HumanLink's submit body. The provider, the client and the time are the server's: sending them is a 400. */
export class CreateFeedbackDto {
  @ApiProperty({ format: 'uuid', description: 'A completed session you booked as its client.' })
  @IsUUID('all', { message: 'session_id must be a UUID' })
  session_id!: string;

  @ApiProperty({ minimum: RATING_MIN, maximum: RATING_MAX, example: 5 })
  @IsInt({ message: 'rating must be a whole number from 1 to 5' })
  @Min(RATING_MIN, { message: 'rating must be a whole number from 1 to 5' })
  @Max(RATING_MAX, { message: 'rating must be a whole number from 1 to 5' })
  rating!: number;

  @ApiPropertyOptional({ maxLength: COMMENT_MAX_LENGTH, example: 'Excellent session, very helpful!', description: 'Encrypted at rest; shown to the provider, you and staff.' })
  @Optional()
  @IsString()
  @MaxLength(COMMENT_MAX_LENGTH)
  comment?: string;

  @ApiPropertyOptional({ type: [String], enum: FEEDBACK_CATEGORIES, maxItems: FEEDBACK_CATEGORIES.length, uniqueItems: true, example: ['helpful', 'professional', 'engaging'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(FEEDBACK_CATEGORIES.length)
  @ArrayUnique({ message: 'categories must not repeat a value' })
  @IsIn(FEEDBACK_CATEGORIES, { each: true, message: `categories must each be one of: ${FEEDBACK_CATEGORIES.join(', ')}` })
  categories?: FeedbackCategory[];
}

/** HumanLink's filters (session_id, rating_min, date_after), plus date_before (from pagination) and provider_id. */
export class FeedbackListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID('all', { message: 'session_id must be a UUID' })
  session_id?: string;

  @ApiPropertyOptional({ minimum: RATING_MIN, maximum: RATING_MAX, description: 'Only feedback rated at least this.' })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(RATING_MIN)
  @Max(RATING_MAX)
  rating_min?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only feedback on this provider’s sessions (narrows what you may see).' })
  @Optional()
  @IsUUID('all', { message: 'provider_id must be a UUID' })
  provider_id?: string;
}

export class FeedbackDto {
  @ApiUuidProperty()
  id!: string;

  @ApiUuidProperty()
  session_id!: string;

  @ApiUuidProperty({ description: 'The therapist or friend of the session.' })
  provider_id!: string;

  @ApiUuidProperty({ description: 'The client who gave it.' })
  client_id!: string;

  @ApiProperty({ minimum: RATING_MIN, maximum: RATING_MAX, example: 5 })
  rating!: number;

  @ApiProperty({ type: String, nullable: true, maxLength: COMMENT_MAX_LENGTH })
  comment!: string | null;

  @ApiProperty({ maxItems: FEEDBACK_CATEGORIES.length, type: [String], enum: FEEDBACK_CATEGORIES })
  categories!: FeedbackCategory[];

  @ApiDateTimeProperty()
  created_at!: string;
}
