import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDate, IsEnum, IsInt, IsISO8601, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { DATE_QUERY_MAX_LENGTH, PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { TIME_ZONE_MAX_LENGTH } from 'src/modules/users/user.fields';
import { Mood, MOODS } from './mood.types';

export const NOTE_MAX_LENGTH = 2000;
export const MAX_TAGS = 10;
export const TAG_MAX_LENGTH = 32;
const TAG_PATTERN = /^[a-z0-9_-]{1,32}$/;
export const INTENSITY_MIN = 1;
export const INTENSITY_MAX = 10;
/** How far back an entry may be dated. */
export const BACKDATE_LIMIT_DAYS = 30;
/** Clock skew allowed between a client and the server for "now". */
export const FUTURE_SKEW_MS = 60_000;
/** `YYYY-MM-DD`. */
const LOCAL_DATE_LENGTH = 10;
/** An ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`): a local time without a zone is ambiguous. */
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_TIME_INPUT_MAX_LENGTH = 35;
/** The most weeks `weekly_intensity` lists (the latest ones of the range). */
export const MAX_WEEKS = 104;
const ISO_WEEK_LENGTH = 8;

/** Whether `value` (an ISO date-time) lies between BACKDATE_LIMIT_DAYS ago and now (plus skew). Unparseable values are the format rule's. */
function withinLoggingWindow(value: unknown): boolean {
  if (typeof value !== 'string' || !DATE_TIME_PATTERN.test(value)) return true;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return true;
  const now = Date.now();
  return at <= now + FUTURE_SKEW_MS && at >= now - BACKDATE_LIMIT_DAYS * 86_400_000;
}

export class CreateMoodEntryDto {
  @ApiProperty({ enum: Mood, enumName: 'Mood', example: Mood.Calm, description: `One of: ${MOODS.join(', ')}.` })
  @IsEnum(Mood, { message: `mood must be one of: ${MOODS.join(', ')}` })
  mood!: Mood;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: INTENSITY_MIN, maximum: INTENSITY_MAX, example: 6, description: 'How strongly (1-10).' })
  @Optional()
  @IsInt({ message: 'intensity must be an integer from 1 to 10' })
  @Min(INTENSITY_MIN, { message: 'intensity must be an integer from 1 to 10' })
  @Max(INTENSITY_MAX, { message: 'intensity must be an integer from 1 to 10' })
  intensity?: number;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH, example: 'Feeling good after a walk.', description: 'Encrypted at rest.' })
  @Optional()
  @IsString()
  @MaxLength(NOTE_MAX_LENGTH)
  note?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_TAGS,
    items: { type: 'string', pattern: TAG_PATTERN.source, maxLength: TAG_MAX_LENGTH },
    example: ['exercise', 'sleep'],
    description: `Up to ${MAX_TAGS} tags of 1-${TAG_MAX_LENGTH} lowercase letters, digits, - or _ (duplicates are kept once).`,
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS, { message: `tags must hold at most ${MAX_TAGS} tags` })
  @IsString({ each: true })
  @Matches(TAG_PATTERN, { each: true, message: `each tag must be 1-${TAG_MAX_LENGTH} lowercase letters, digits, - or _` })
  tags?: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    maxLength: DATE_TIME_INPUT_MAX_LENGTH,
    example: '2026-11-30T08:15:00Z',
    description: `When the mood was felt, with its offset; default now. At most ${BACKDATE_LIMIT_DAYS} days ago, never in the future (one minute of clock skew is allowed).`,
  })
  @Optional()
  @IsString()
  @MaxLength(DATE_TIME_INPUT_MAX_LENGTH)
  @Matches(DATE_TIME_PATTERN, { message: 'logged_at must be an ISO 8601 date-time with an offset, e.g. 2026-11-30T08:15:00Z' })
  @IsISO8601({ strict: true }, { message: 'logged_at must be an ISO 8601 date-time with an offset, e.g. 2026-11-30T08:15:00Z' })
  @ValidateBy({
    name: 'loggingWindow',
    validator: {
      validate: withinLoggingWindow,
      defaultMessage: () => `logged_at must not be in the future nor more than ${BACKDATE_LIMIT_DAYS} days ago`,
    },
  })
  logged_at?: string;
}

/** An optional instant in the query string, parsed like the list parameters' `date_after`/`date_before`. */
const InstantQueryField = (name: string, description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description, type: String, format: 'date-time', maxLength: DATE_QUERY_MAX_LENGTH }),
    Optional(),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.length <= DATE_QUERY_MAX_LENGTH ? new Date(value) : value)),
    IsDate({ message: `${name} must be an ISO 8601 date` }),
  );

/** The range of the analytics and the export: entries logged at or after `date_after` and before `date_before`. */
export class MoodRangeQueryDto {
  @InstantQueryField('date_after', 'Only entries logged on or after this instant (ISO 8601).')
  date_after?: Date;

  @InstantQueryField('date_before', 'Only entries logged before this instant (ISO 8601).')
  date_before?: Date;
}

export class MoodEntryListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: Mood, enumName: 'Mood', description: 'Only entries with this mood.' })
  @Optional()
  @IsEnum(Mood, { message: `mood must be one of: ${MOODS.join(', ')}` })
  mood?: Mood;
}

export class MoodEntryDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ enum: Mood, enumName: 'Mood' })
  mood!: Mood;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: INTENSITY_MIN, maximum: INTENSITY_MAX, nullable: true })
  intensity!: number | null;

  @ApiProperty({ type: String, nullable: true, maxLength: NOTE_MAX_LENGTH })
  note!: string | null;

  @ApiProperty({ type: [String], maxItems: MAX_TAGS, items: { type: 'string', pattern: TAG_PATTERN.source, maxLength: TAG_MAX_LENGTH } })
  tags!: string[];

  @ApiDateTimeProperty()
  logged_at!: string;

  @ApiProperty({
    type: String,
    format: 'date',
    maxLength: LOCAL_DATE_LENGTH,
    example: '2026-11-30',
    description: 'The calendar day of `logged_at` in your time zone when the entry was written; a later time-zone change does not move it.',
  })
  local_date!: string;

  @ApiProperty({ maxLength: TIME_ZONE_MAX_LENGTH, example: 'Europe/Berlin', description: 'The time zone `local_date` was computed in.' })
  time_zone!: string;

  @ApiDateTimeProperty()
  created_at!: string;
}

const COUNT = { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 } as const;

/** Entries per mood: every mood of the vocabulary, zero when none. */
export class MoodCountsDto {
  @ApiProperty(COUNT) happy!: number;
  @ApiProperty(COUNT) calm!: number;
  @ApiProperty(COUNT) content!: number;
  @ApiProperty(COUNT) neutral!: number;
  @ApiProperty(COUNT) tired!: number;
  @ApiProperty(COUNT) sad!: number;
  @ApiProperty(COUNT) anxious!: number;
  @ApiProperty(COUNT) stressed!: number;
  @ApiProperty(COUNT) angry!: number;
  @ApiProperty(COUNT) lonely!: number;
}

export class WeeklyIntensityDto {
  @ApiProperty({ maxLength: ISO_WEEK_LENGTH, example: '2026-W48', description: 'ISO 8601 week of the entries’ local dates.' })
  week!: string;

  @ApiProperty({ type: Number, nullable: true, minimum: INTENSITY_MIN, maximum: INTENSITY_MAX, example: 6.5, description: 'Mean intensity of the week’s entries that have one (2 decimals); null when none has.' })
  average_intensity!: number | null;

  @ApiProperty({ ...COUNT, description: 'Entries in the week.' })
  entries!: number;
}

export class MoodAnalyticsDto {
  @ApiProperty({ type: MoodCountsDto })
  mood_counts!: MoodCountsDto;

  @ApiProperty(COUNT)
  total_entries!: number;

  @ApiProperty({
    ...COUNT,
    description:
      'Consecutive local days with at least one entry, ending today or yesterday (a streak stays current until the end of the day after its last entry). ' +
      'Always over the whole log, whatever the range.',
  })
  current_streak!: number;

  @ApiProperty({ ...COUNT, description: 'The longest run of consecutive local days with an entry, within the range (the whole log without one).' })
  longest_streak!: number;

  @ApiProperty({ type: String, format: 'date', maxLength: LOCAL_DATE_LENGTH, nullable: true, description: 'The local date of the latest entry (whole log).' })
  last_entry_date!: string | null;

  @ApiProperty({ type: String, format: 'date', maxLength: LOCAL_DATE_LENGTH, description: '“Today” in the time zone below, which the current streak is measured against.' })
  today!: string;

  @ApiProperty({ maxLength: TIME_ZONE_MAX_LENGTH, example: 'Europe/Berlin', description: 'The account’s time zone now.' })
  time_zone!: string;

  @ApiProperty({
    type: [WeeklyIntensityDto],
    maxItems: MAX_WEEKS,
    description: `Per ISO week of the range that has entries, oldest first; at most the latest ${MAX_WEEKS} weeks.`,
  })
  weekly_intensity!: WeeklyIntensityDto[];
}
