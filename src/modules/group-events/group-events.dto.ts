import { PAYMENT_METHOD_PATTERN } from 'src/modules/payments/payments.types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Nullable, Optional } from 'src/common/validation/presence';
import { UuidField } from 'src/common/validation/uuid-param';
import { UserSummaryDto } from 'src/modules/chat/chat.dto';
import { EventStatus, TicketStatus } from './group-events.types';
import { isCurrency } from 'src/common/money/money';
import { CURRENCY_PATTERN, PRICE_PATTERN } from './money';

export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 5000;
export const LOCATION_MAX_LENGTH = 300;
export const ONLINE_URL_MAX_LENGTH = 2048;
export const CATEGORY_MAX_LENGTH = 60;
/** A short slug chosen by the host ("support", "social", "workshop", "meditation", …). */
const CATEGORY_PATTERN = /^[a-z0-9_-]{1,60}$/;
export const CAPACITY_MAX = 10_000;
export const DURATION_MIN = 15;
export const DURATION_MAX = 1440;
/** An ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`). */
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_TIME_INPUT_MAX_LENGTH = 35;
const HTTPS_URL: Parameters<typeof IsUrl>[0] = { protocols: ['https'], require_protocol: true, require_host: true };

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Unparseable values are the format rule's; a parseable one must lie ahead. */
const inFuture = (value: unknown): boolean => typeof value !== 'string' || !DATE_TIME_PATTERN.test(value) || Number.isNaN(Date.parse(value)) || Date.parse(value) > Date.now();

const startsAtMessage = 'starts_at must be an ISO 8601 date-time with an offset, e.g. 2026-12-20T18:00:00Z';
const priceMessage = 'price must be a decimal string with at most 2 decimals, e.g. "5.00" ("0.00" is free)';
const currencyMessage = 'currency must be an ISO 4217 code in upper case, e.g. USD';

const knownCurrency = ValidateBy({
  name: 'knownCurrency',
  validator: { validate: (value: unknown) => typeof value !== 'string' || isCurrency(value), defaultMessage: () => currencyMessage },
});

export class CreateEventDto {
  @ApiProperty({ example: 'Virtual Coffee Chat', minLength: 3, maxLength: TITLE_MAX_LENGTH })
  @trim
  @IsString()
  @MinLength(3)
  @MaxLength(TITLE_MAX_LENGTH)
  title!: string;

  @ApiPropertyOptional({ example: 'Join us for a friendly group discussion', maxLength: DESCRIPTION_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional({ example: 'social', pattern: CATEGORY_PATTERN.source, maxLength: CATEGORY_MAX_LENGTH, default: 'general' })
  @Optional()
  @IsString()
  @Matches(CATEGORY_PATTERN, { message: 'category must be 1-60 lowercase letters, digits, - or _' })
  category?: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-12-20T18:00:00Z', maxLength: DATE_TIME_INPUT_MAX_LENGTH, description: 'In the future.' })
  @IsString()
  @MaxLength(DATE_TIME_INPUT_MAX_LENGTH)
  @Matches(DATE_TIME_PATTERN, { message: startsAtMessage })
  @IsISO8601({ strict: true }, { message: startsAtMessage })
  @ValidateBy({ name: 'inFuture', validator: { validate: inFuture, defaultMessage: () => 'starts_at must be in the future' } })
  starts_at!: string;

  @ApiPropertyOptional({ format: 'int32', type: 'integer', minimum: DURATION_MIN, maximum: DURATION_MAX, default: 60 })
  @Optional()
  @IsInt()
  @Min(DURATION_MIN)
  @Max(DURATION_MAX)
  duration_minutes?: number;

  @ApiPropertyOptional({ example: 'Community centre, Room 2', minLength: 1, maxLength: LOCATION_MAX_LENGTH, description: 'A place; give it, `online_url`, or both.' })
  @Optional()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(LOCATION_MAX_LENGTH)
  location?: string;

  @ApiPropertyOptional({ format: 'uri', example: 'https://meet.jit.si/haven-coffee-chat', maxLength: ONLINE_URL_MAX_LENGTH, description: 'An https link for an online event; shown only to the host, staff and ticket holders with a seat.' })
  @Optional()
  @IsString()
  @MaxLength(ONLINE_URL_MAX_LENGTH)
  @IsUrl(HTTPS_URL, { message: 'online_url must be an https URL' })
  online_url?: string;

  @ApiProperty({ format: 'int32', type: 'integer', minimum: 1, maximum: CAPACITY_MAX, example: 10 })
  @IsInt()
  @Min(1)
  @Max(CAPACITY_MAX)
  capacity!: number;

  @ApiPropertyOptional({ maxLength: 9, example: '5.00', pattern: PRICE_PATTERN.source, default: '0.00', description: 'Decimal string; "0.00" or absent is free.' })
  @Optional()
  @IsString({ message: priceMessage })
  @Matches(PRICE_PATTERN, { message: priceMessage })
  price?: string;

  @ApiPropertyOptional({ maxLength: 3, example: 'USD', pattern: CURRENCY_PATTERN.source, default: 'USD' })
  @Optional()
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: currencyMessage })
  @knownCurrency
  currency?: string;
}

/** Every field optional; `description`, `location` and `online_url` are cleared with null (a place or link must remain). */
export class UpdateEventDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: TITLE_MAX_LENGTH })
  @Optional()
  @trim
  @IsString()
  @MinLength(3)
  @MaxLength(TITLE_MAX_LENGTH)
  title?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: DESCRIPTION_MAX_LENGTH })
  @Nullable()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  description?: string | null;

  @ApiPropertyOptional({ pattern: CATEGORY_PATTERN.source, maxLength: CATEGORY_MAX_LENGTH })
  @Optional()
  @IsString()
  @Matches(CATEGORY_PATTERN, { message: 'category must be 1-60 lowercase letters, digits, - or _' })
  category?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', maxLength: DATE_TIME_INPUT_MAX_LENGTH, description: 'In the future.' })
  @Optional()
  @IsString()
  @MaxLength(DATE_TIME_INPUT_MAX_LENGTH)
  @Matches(DATE_TIME_PATTERN, { message: startsAtMessage })
  @IsISO8601({ strict: true }, { message: startsAtMessage })
  @ValidateBy({ name: 'inFuture', validator: { validate: inFuture, defaultMessage: () => 'starts_at must be in the future' } })
  starts_at?: string;

  @ApiPropertyOptional({ format: 'int32', type: 'integer', minimum: DURATION_MIN, maximum: DURATION_MAX })
  @Optional()
  @IsInt()
  @Min(DURATION_MIN)
  @Max(DURATION_MAX)
  duration_minutes?: number;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: LOCATION_MAX_LENGTH })
  @Nullable()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(LOCATION_MAX_LENGTH)
  location?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uri', maxLength: ONLINE_URL_MAX_LENGTH })
  @Nullable()
  @IsString()
  @MaxLength(ONLINE_URL_MAX_LENGTH)
  @IsUrl(HTTPS_URL, { message: 'online_url must be an https URL' })
  online_url?: string | null;

  @ApiPropertyOptional({ format: 'int32', type: 'integer', minimum: 1, maximum: CAPACITY_MAX, description: 'May grow (the waitlist moves up) but never below `registered_count`.' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(CAPACITY_MAX)
  capacity?: number;

  @ApiPropertyOptional({ maxLength: 9, pattern: PRICE_PATTERN.source, description: 'Applies to tickets booked from now on; booked and waitlisted tickets keep their price.' })
  @Optional()
  @IsString({ message: priceMessage })
  @Matches(PRICE_PATTERN, { message: priceMessage })
  price?: string;

  @ApiPropertyOptional({ maxLength: 3, pattern: CURRENCY_PATTERN.source })
  @Optional()
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: currencyMessage })
  @knownCurrency
  currency?: string;
}

export class EventListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'social', maxLength: CATEGORY_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(CATEGORY_MAX_LENGTH)
  category?: string;

  @ApiPropertyOptional({ description: 'Part of the place, any case (online-only events have none).', maxLength: LOCATION_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(LOCATION_MAX_LENGTH)
  location?: string;

  @UuidField({ optional: true, description: 'Only events of this host.' })
  host_id?: string;

  @ApiPropertyOptional({ enum: EventStatus, default: EventStatus.Scheduled })
  @Optional()
  @IsIn(Object.values(EventStatus), { message: `status must be one of: ${Object.values(EventStatus).join(', ')}` })
  status?: EventStatus;
}

const ATTENDEE_STATUSES = [TicketStatus.Confirmed, TicketStatus.PendingPayment, TicketStatus.Waitlisted];

export class AttendeeQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ATTENDEE_STATUSES, description: 'Default: every ticket that holds a seat or waits in line.' })
  @Optional()
  @IsIn(ATTENDEE_STATUSES, { message: `status must be one of: ${ATTENDEE_STATUSES.join(', ')}` })
  status?: TicketStatus;
}

export class BookTicketDto {
  @UuidField({ description: 'The event to book.' })
  event_id!: string;

  @ApiPropertyOptional({
    example: 'pm_card_visa',
    pattern: PAYMENT_METHOD_PATTERN.source,
    maxLength: 255,
    description: 'Required for a paid event (ignored for a free one). Charged at once for a seat; on the waitlist, kept and charged only when you move up.',
  })
  @Optional()
  @IsString()
  @Matches(PAYMENT_METHOD_PATTERN, { message: 'payment_method_id must be a payment method id, e.g. pm_card_visa' })
  payment_method_id?: string;
}

export class TicketDto {
  @ApiUuidProperty()
  id!: string;

  @ApiUuidProperty()
  event_id!: string;

  @ApiUuidProperty()
  user_id!: string;

  @ApiProperty({ enum: TicketStatus, enumName: 'EventTicketStatus' })
  status!: TicketStatus;

  @ApiProperty({ format: 'int32', minimum: 1, maximum: 2_147_483_647, type: 'integer', nullable: true, description: 'Your place in line (1 is next) while waitlisted; null otherwise.' })
  waitlist_position!: number | null;

  @ApiProperty({ maxLength: 9, example: '5.00', description: 'The price when booked; "0.00" is free.' })
  price!: string;

  @ApiProperty({ maxLength: 3, example: 'USD' })
  currency!: string;

  @ApiProperty({ maxLength: 36, type: String, nullable: true, description: 'The payment record of the charge (see /api/v1/payments).' })
  payment_id!: string | null;

  @ApiProperty({ maxLength: 255, type: String, nullable: true, description: 'While `pending_payment` after a charge that needs your action: complete it with your payment provider, then call the confirm endpoint.' })
  client_secret!: string | null;

  @ApiDateTimeProperty({ nullable: true, description: 'Until when a pending payment holds the seat.' })
  hold_expires_at!: string | null;

  @ApiDateTimeProperty({ nullable: true })
  confirmed_at!: string | null;

  @ApiDateTimeProperty({ nullable: true })
  cancelled_at!: string | null;

  @ApiDateTimeProperty({ description: 'When it was booked: the waitlist is in this order.' })
  created_at!: string;
}

export class EventDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: TITLE_MAX_LENGTH })
  title!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: DESCRIPTION_MAX_LENGTH })
  description!: string | null;

  @ApiProperty({ maxLength: CATEGORY_MAX_LENGTH })
  category!: string;

  @ApiDateTimeProperty()
  starts_at!: string;

  @ApiDateTimeProperty({ description: 'HumanLink’s name for `starts_at`.' })
  date!: string;

  @ApiDateTimeProperty()
  ends_at!: string;

  @ApiProperty({ format: 'int32', minimum: 1, maximum: DURATION_MAX, type: 'integer' })
  duration_minutes!: number;

  @ApiProperty({ type: String, nullable: true, maxLength: LOCATION_MAX_LENGTH })
  location!: string | null;

  @ApiProperty({ description: 'Whether the event has an online link.' })
  is_online!: boolean;

  @ApiProperty({ type: String, nullable: true, maxLength: ONLINE_URL_MAX_LENGTH, description: 'Shown to the host, staff and holders of a confirmed ticket; null for others.' })
  online_url!: string | null;

  @ApiProperty({ format: 'int32', minimum: 1, maximum: CAPACITY_MAX, type: 'integer' })
  capacity!: number;

  @ApiProperty({ format: 'int32', minimum: 0, maximum: CAPACITY_MAX, type: 'integer', description: 'Seats taken: confirmed tickets and payments in progress.' })
  registered_count!: number;

  @ApiProperty({ format: 'int32', minimum: 0, maximum: 2_147_483_647, type: 'integer' })
  waitlist_count!: number;

  @ApiProperty({ format: 'int32', minimum: 0, maximum: CAPACITY_MAX, type: 'integer' })
  seats_available!: number;

  @ApiProperty({ maxLength: 9, example: '5.00' })
  price!: string;

  @ApiProperty({ maxLength: 3, example: 'USD' })
  currency!: string;

  @ApiProperty()
  is_free!: boolean;

  @ApiProperty({ enum: EventStatus, enumName: 'EventStatus' })
  status!: EventStatus;

  @ApiProperty({ type: UserSummaryDto })
  host!: UserSummaryDto;

  @ApiProperty({ type: TicketDto, nullable: true, description: 'Your active ticket (pending payment, confirmed or waitlisted), if any.' })
  my_ticket!: TicketDto | null;

  @ApiDateTimeProperty({ nullable: true })
  cancelled_at!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}

export class AttendeeDto {
  @ApiUuidProperty()
  ticket_id!: string;

  @ApiProperty({ type: UserSummaryDto })
  user!: UserSummaryDto;

  @ApiProperty({ enum: [TicketStatus.Confirmed, TicketStatus.PendingPayment, TicketStatus.Waitlisted] })
  status!: TicketStatus;

  @ApiProperty({ format: 'int32', minimum: 1, maximum: 2_147_483_647, type: 'integer', nullable: true })
  waitlist_position!: number | null;

  @ApiDateTimeProperty()
  booked_at!: string;

  @ApiDateTimeProperty({ nullable: true })
  confirmed_at!: string | null;
}
