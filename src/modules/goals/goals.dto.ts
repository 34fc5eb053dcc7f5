import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsInt, IsString, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Nullable, Optional } from 'src/common/validation/presence';
import {
  GOAL_DESCRIPTION_MAX_LENGTH,
  GOAL_TITLE_MAX_LENGTH,
  GoalStatus,
  MOOD_RATING_MAX,
  MOOD_RATING_MIN,
  PROGRESS_CONTENT_MAX_LENGTH,
} from './goals.types';

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Years a target date may name: PostgreSQL's `date` has no year 0, and a goal is set within a lifetime. */
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;

/** True for `YYYY-MM-DD` naming a day that exists (no 2026-02-30). */
export function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < MIN_YEAR || year > MAX_YEAR) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const TargetDate = (): PropertyDecorator =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: isCalendarDate, defaultMessage: () => 'target_date must be a real calendar date, YYYY-MM-DD' },
  });

export class CreateGoalDto {
  @ApiProperty({ example: 'Exercise regularly', minLength: 1, maxLength: GOAL_TITLE_MAX_LENGTH })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(GOAL_TITLE_MAX_LENGTH)
  title!: string;

  @ApiPropertyOptional({ example: 'Exercise 3 times per week', maxLength: GOAL_DESCRIPTION_MAX_LENGTH })
  @Optional()
  @trim
  @IsString()
  @MaxLength(GOAL_DESCRIPTION_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional({ example: '2025-12-31', format: 'date', maxLength: 10, description: 'A calendar day; may be in the past.' })
  @Optional()
  @TargetDate()
  target_date?: string;
}

export class UpdateGoalDto {
  @ApiPropertyOptional({ example: 'Exercise regularly', minLength: 1, maxLength: GOAL_TITLE_MAX_LENGTH })
  @Optional()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(GOAL_TITLE_MAX_LENGTH)
  title?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: GOAL_DESCRIPTION_MAX_LENGTH, description: 'null clears it.' })
  @Nullable()
  @trim
  @IsString()
  @MaxLength(GOAL_DESCRIPTION_MAX_LENGTH)
  description?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date', maxLength: 10, example: '2025-12-31', description: 'null clears it.' })
  @Nullable()
  @TargetDate()
  target_date?: string | null;
}

export class GoalListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: GoalStatus })
  @Optional()
  @IsEnum(GoalStatus)
  status?: GoalStatus;
}

export class CreateProgressDto {
  @ApiProperty({ example: 'Completed 3 workouts this week', minLength: 1, maxLength: PROGRESS_CONTENT_MAX_LENGTH })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(PROGRESS_CONTENT_MAX_LENGTH)
  content!: string;

  @ApiPropertyOptional({ example: 8, minimum: MOOD_RATING_MIN, maximum: MOOD_RATING_MAX })
  @Optional()
  @IsInt()
  @Min(MOOD_RATING_MIN)
  @Max(MOOD_RATING_MAX)
  mood_rating?: number;
}

export class GoalDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: GOAL_TITLE_MAX_LENGTH })
  title!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: GOAL_DESCRIPTION_MAX_LENGTH })
  description!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date', maxLength: 10, example: '2025-12-31' })
  target_date!: string | null;

  @ApiProperty({ enum: GoalStatus })
  status!: GoalStatus;

  @ApiDateTimeProperty({ nullable: true })
  completed_at!: string | null;

  @ApiProperty({ description: 'How many progress entries the goal has.' })
  progress_count!: number;

  @ApiDateTimeProperty({ nullable: true })
  last_progress_at!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}

export class GoalProgressDto {
  @ApiUuidProperty()
  id!: string;

  @ApiUuidProperty()
  goal_id!: string;

  @ApiProperty({ maxLength: PROGRESS_CONTENT_MAX_LENGTH })
  content!: string;

  @ApiProperty({ type: Number, nullable: true, minimum: MOOD_RATING_MIN, maximum: MOOD_RATING_MAX })
  mood_rating!: number | null;

  @ApiDateTimeProperty()
  created_at!: string;
}

export class GoalStatsDto {
  @ApiProperty({ example: 8, description: 'Goals you have (deleted goals are not counted).' })
  goals_set!: number;

  @ApiProperty({ example: 5, description: 'Of those, the ones marked completed.' })
  goals_completed!: number;

  @ApiProperty({ example: 6, format: 'int32', minimum: 0, maximum: 2_147_483_647, description: 'Sessions (SafeTalk appointments) you booked or hold as the provider, whatever their status.' })
  total_appointments!: number;

  @ApiProperty({ example: 4, format: 'int32', minimum: 0, maximum: 2_147_483_647, description: 'Of those, the ones completed.' })
  completed_appointments!: number;
}
