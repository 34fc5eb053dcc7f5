import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { DATE_QUERY_MAX_LENGTH, PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { UserSummaryDto } from 'src/modules/chat/chat.dto';
import { TimeZoneField } from 'src/modules/users/user.fields';
import { isCurrency } from 'src/common/money/money';
import { MONEY_PATTERN } from './money';
import { AvailabilityExceptionKind, SESSION_TYPES, SessionType } from './providers.types';

export const BIO_MAX_LENGTH = 2000;
export const SPECIALTY_MAX_LENGTH = 60;
export const MAX_SPECIALTIES = 10;
export const MAX_LANGUAGES = 10;
export const MAX_BUFFER_MINUTES = 120;
export const MAX_RULES = 50;
/** The longest window free slots (and the directory's availability filter) look at. */
export const FREE_SLOTS_MAX_DAYS = 31;
/** Slots start on this grid (local quarter hours in every zone). */
export const SLOT_STEP_MINUTES = 15;
export const SESSION_MIN_MINUTES = 15;
export const SESSION_MAX_MINUTES = 240;
/** The most slots one answer holds: a quarter-hour grid over the longest window. */
export const MAX_SLOTS = (FREE_SLOTS_MAX_DAYS * 24 * 60) / SLOT_STEP_MINUTES;
const MONEY_MAX_LENGTH = 11;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_TIME_INPUT_MAX_LENGTH = 35;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A money amount as a decimal string in the profile's currency ("49.99"). */
const MoneyField = (name: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: String, pattern: MONEY_PATTERN.source, maxLength: MONEY_MAX_LENGTH, example: '49.99', description: `${name}: a decimal string in the profile's currency.` }),
    Optional(),
    IsString(),
    MaxLength(MONEY_MAX_LENGTH),
    Matches(MONEY_PATTERN, { message: `${name} must be a decimal amount such as 49.99` }),
  );

/** A request instant: ISO 8601 with an offset, e.g. 2026-10-26T09:00:00Z. */
export const InstantField = (name: string, options: { optional?: boolean; description?: string } = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      required: !options.optional,
      type: String,
      format: 'date-time',
      maxLength: DATE_TIME_INPUT_MAX_LENGTH,
      example: '2026-10-26T09:00:00Z',
      description: options.description,
    }),
    options.optional ? Optional() : () => undefined,
    IsString(),
    MaxLength(DATE_TIME_INPUT_MAX_LENGTH),
    Matches(ISO_DATE_TIME, { message: `${name} must be an ISO 8601 date-time with an offset, e.g. 2026-10-26T09:00:00Z` }),
    IsISO8601({ strict: true }, { message: `${name} must be an ISO 8601 date-time with an offset, e.g. 2026-10-26T09:00:00Z` }),
  );

/** An instant in the query string, parsed like `date_after`. */
export const InstantQueryField = (name: string, description: string, required = false): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ required, description, type: String, format: 'date-time', maxLength: DATE_QUERY_MAX_LENGTH }),
    required ? () => undefined : Optional(),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.length <= DATE_QUERY_MAX_LENGTH ? new Date(value) : value)),
    IsDate({ message: `${name} must be an ISO 8601 date` }),
  );

export class PricesDto {
  @MoneyField('prices.text')
  text?: string;

  @MoneyField('prices.voice')
  voice?: string;

  @MoneyField('prices.video')
  video?: string;
}

export class PricesOutDto {
  @ApiProperty({ type: String, nullable: true, example: '30.00', maxLength: MONEY_MAX_LENGTH })
  text!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '40.00', maxLength: MONEY_MAX_LENGTH })
  voice!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '49.99', maxLength: MONEY_MAX_LENGTH })
  video!: string | null;
}

/** The whole profile (PUT replaces it). Rating fields are the server's: sending them is a 400. */
export class UpsertProviderProfileDto {
  @ApiPropertyOptional({ maxLength: BIO_MAX_LENGTH, default: '', example: 'CBT for anxiety and sleep.' })
  @Optional()
  @IsString()
  @MaxLength(BIO_MAX_LENGTH)
  bio?: string;

  @ApiPropertyOptional({ items: { type: 'string', maxLength: SPECIALTY_MAX_LENGTH }, type: [String], maxItems: MAX_SPECIALTIES, example: ['anxiety', 'sleep'], description: 'Short lower-case tags.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_SPECIALTIES)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(2, { each: true })
  @MaxLength(SPECIALTY_MAX_LENGTH, { each: true })
  @Matches(/^[a-z0-9][a-z0-9 _-]*$/, { each: true, message: 'specialties must be lower-case letters, digits, spaces, - or _' })
  specialties?: string[];

  @ApiPropertyOptional({ items: { type: 'string', maxLength: 8 }, type: [String], maxItems: MAX_LANGUAGES, example: ['en', 'de'], description: 'ISO 639-1 codes.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_LANGUAGES)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[a-z]{2}$/, { each: true, message: 'languages must be ISO 639-1 codes such as en' })
  languages?: string[];

  @ApiProperty({ maxItems: SESSION_TYPES.length, enum: SESSION_TYPES, isArray: true, example: ['text', 'video'], description: 'Each offered type needs a price in `prices`.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SESSION_TYPES.length)
  @ArrayUnique()
  @IsIn(SESSION_TYPES, { each: true, message: `session_types must each be one of: ${SESSION_TYPES.join(', ')}` })
  session_types!: SessionType[];

  @ApiProperty({ type: PricesDto, description: 'Price per offered type (and only those), in `currency`.' })
  @IsObject()
  @ValidateNested()
  @Type(() => PricesDto)
  prices!: PricesDto;

  @ApiProperty({ example: 'EUR', minLength: 3, maxLength: 3, description: 'ISO 4217 currency of every price.' })
  @IsString()
  @ValidateBy({ name: 'isCurrency', validator: { validate: isCurrency, defaultMessage: () => 'currency must be an ISO 4217 code such as EUR' } })
  currency!: string;

  @TimeZoneField({ optional: true, description: 'IANA zone of the weekly availability rules; default your account’s time zone.' })
  time_zone?: string;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  accepting_new_clients?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_BUFFER_MINUTES, default: 0, description: 'Minutes kept free after each session.' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(MAX_BUFFER_MINUTES)
  buffer_minutes?: number;
}

export class ProviderDto extends UserSummaryDto {
  @ApiProperty({ maxLength: BIO_MAX_LENGTH })
  bio!: string;

  @ApiProperty({ items: { type: 'string', maxLength: SPECIALTY_MAX_LENGTH }, type: [String], maxItems: MAX_SPECIALTIES })
  specialties!: string[];

  @ApiProperty({ items: { type: 'string', maxLength: 8 }, type: [String], maxItems: MAX_LANGUAGES })
  languages!: string[];

  @ApiProperty({ maxItems: SESSION_TYPES.length, enum: SESSION_TYPES, isArray: true })
  session_types!: SessionType[];

  @ApiProperty({ type: PricesOutDto })
  prices!: PricesOutDto;

  @ApiProperty({ example: 'EUR', maxLength: 3 })
  currency!: string;

  @ApiProperty({ example: 'Europe/Berlin', maxLength: 64 })
  time_zone!: string;

  @ApiProperty()
  accepting_new_clients!: boolean;

  @ApiProperty({ minimum: 0, maximum: MAX_BUFFER_MINUTES })
  buffer_minutes!: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: 5, example: 4.67, description: 'Average feedback rating; null before the first.' })
  rating_average!: number | null;

  @ApiProperty({ minimum: 0 })
  rating_count!: number;

  @ApiDateTimeProperty()
  updated_at!: string;
}

export class ProviderListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ maxLength: SPECIALTY_MAX_LENGTH, example: 'anxiety' })
  @Optional()
  @IsString()
  @MaxLength(SPECIALTY_MAX_LENGTH)
  specialty?: string;

  @ApiPropertyOptional({ maxLength: 8, example: 'en', description: 'ISO 639-1 code.' })
  @Optional()
  @IsString()
  @Matches(/^[a-z]{2}$/, { message: 'language must be an ISO 639-1 code such as en' })
  language?: string;

  @ApiPropertyOptional({ enum: SESSION_TYPES, description: 'Offers this type; the price range then applies to its price.' })
  @Optional()
  @IsIn(SESSION_TYPES)
  type?: SessionType;

  @MoneyField('price_min')
  price_min?: string;

  @MoneyField('price_max')
  price_max?: string;

  @InstantQueryField('available_from', `With available_to: only providers with a free slot in the range (at most ${FREE_SLOTS_MAX_DAYS} days).`)
  available_from?: Date;

  @InstantQueryField('available_to', 'End of the available_from range.')
  available_to?: Date;

  @ApiPropertyOptional({ minimum: SESSION_MIN_MINUTES, maximum: SESSION_MAX_MINUTES, default: 60, description: 'Length of the free slot the availability filter looks for.' })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(SESSION_MIN_MINUTES)
  @Max(SESSION_MAX_MINUTES)
  duration_minutes?: number;
}

export class WeeklyRuleDto {
  @ApiProperty({ minimum: 1, maximum: 7, example: 1, description: 'ISO weekday: 1 Monday … 7 Sunday.' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday!: number;

  @ApiProperty({ pattern: TIME_PATTERN.source, example: '09:00', maxLength: 5, description: 'Local time in the profile’s zone.' })
  @IsString()
  @trim
  @Matches(TIME_PATTERN, { message: 'start_time must be HH:MM' })
  start_time!: string;

  @ApiProperty({ pattern: TIME_PATTERN.source, example: '12:00', maxLength: 5, description: 'Local time, after start_time; 24:00 is the end of the day.' })
  @IsString()
  @trim
  @Matches(TIME_PATTERN, { message: 'end_time must be HH:MM' })
  end_time!: string;
}

export class ReplaceWeeklyRulesDto {
  @ApiProperty({ type: [WeeklyRuleDto], maxItems: MAX_RULES, description: 'Replaces every weekly rule; rules of one weekday must not overlap.' })
  @IsArray()
  @ArrayMaxSize(MAX_RULES)
  @ValidateNested({ each: true })
  @Type(() => WeeklyRuleDto)
  rules!: WeeklyRuleDto[];
}

export class AvailabilityDto {
  @ApiProperty({ example: 'Europe/Berlin', maxLength: 64 })
  time_zone!: string;

  @ApiProperty({ minimum: 0, maximum: MAX_BUFFER_MINUTES })
  buffer_minutes!: number;

  @ApiProperty({ type: [WeeklyRuleDto], maxItems: MAX_RULES })
  rules!: WeeklyRuleDto[];
}

export class CreateAvailabilityExceptionDto {
  @ApiProperty({ enum: AvailabilityExceptionKind, description: '`time_off` removes the range from availability; `extra` adds it.' })
  @IsIn(Object.values(AvailabilityExceptionKind))
  kind!: AvailabilityExceptionKind;

  @InstantField('starts_at')
  starts_at!: string;

  @InstantField('ends_at', { description: 'After starts_at, at most 366 days later.' })
  ends_at!: string;
}

export class AvailabilityExceptionDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ enum: AvailabilityExceptionKind })
  kind!: AvailabilityExceptionKind;

  @ApiDateTimeProperty()
  starts_at!: string;

  @ApiDateTimeProperty()
  ends_at!: string;

  @ApiDateTimeProperty()
  created_at!: string;
}

export class FreeSlotsQueryDto {
  @InstantQueryField('from', 'Start of the window (ISO 8601).', true)
  from!: Date;

  @InstantQueryField('to', `End of the window, at most ${FREE_SLOTS_MAX_DAYS} days after from.`, true)
  to!: Date;

  @ApiPropertyOptional({ minimum: SESSION_MIN_MINUTES, maximum: SESSION_MAX_MINUTES, default: 60 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(SESSION_MIN_MINUTES)
  @Max(SESSION_MAX_MINUTES)
  duration_minutes?: number;

  @ApiPropertyOptional({ enum: SESSION_TYPES, description: 'Only when the provider offers this type.' })
  @Optional()
  @IsIn(SESSION_TYPES)
  type?: SessionType;
}

export class FreeSlotDto {
  @ApiDateTimeProperty({ description: 'UTC.' })
  starts_at!: string;

  @ApiDateTimeProperty({ description: 'UTC.' })
  ends_at!: string;

  @ApiProperty({ example: '2026-10-26T09:00:00.000+01:00', maxLength: 29, description: 'The start in the provider’s zone, with its offset.' })
  local_starts_at!: string;
}

export class FreeSlotsDto {
  @ApiUuidProperty()
  provider_id!: string;

  @ApiProperty({ example: 'Europe/Berlin', maxLength: 64 })
  time_zone!: string;

  @ApiProperty({ minimum: SESSION_MIN_MINUTES, maximum: SESSION_MAX_MINUTES })
  duration_minutes!: number;

  @ApiProperty({ type: [FreeSlotDto], maxItems: MAX_SLOTS })
  slots!: FreeSlotDto[];
}
