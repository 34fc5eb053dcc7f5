import { QueryBoolean } from 'src/common/validation/query-boolean';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsLatitude, IsLongitude, IsNumber, IsObject, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Optional } from 'src/common/validation/presence';
import { UuidField } from 'src/common/validation/uuid-param';
import { AlarmStatus, DeliveryChannel, DeliveryPurpose, DeliveryRecipient, DeliveryStatus } from './alarms.types';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** At most 10 contacts and a therapist's two channels, for the alarm and its all-clear. */
const MAX_DELIVERIES_PER_ALARM = 2 * (10 + 2);

export class AlarmLocationDto {
  @ApiPropertyOptional({ minimum: -90, maximum: 90, example: 52.52 })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLatitude({ message: 'latitude must be between -90 and 90' })
  latitude?: number;

  @ApiPropertyOptional({ minimum: -180, maximum: 180, example: 13.405 })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLongitude({ message: 'longitude must be between -180 and 180' })
  longitude?: number;

  @ApiPropertyOptional({ maxLength: 200, example: 'Home, Berlin-Mitte' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  text?: string;
}

export class TriggerAlarmDto {
  @ApiPropertyOptional({
    pattern: CLIENT_REQUEST_ID.source,
    maxLength: 64,
    example: 'f4c1b2de-press-1',
    description: 'Your id for this press: sending it again (a retry) returns the same alarm instead of alerting everyone twice.',
  })
  @Optional()
  @IsString()
  @Matches(CLIENT_REQUEST_ID, { message: 'client_request_id must be 1-64 letters, digits, or . _ : -' })
  client_request_id?: string;

  @ApiPropertyOptional({ type: AlarmLocationDto, description: 'Where you are: coordinates (both) and/or a description. Shown to whom you alert, never logged.' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => AlarmLocationDto)
  location?: AlarmLocationDto;
}

export class ResolveAlarmDto {
  @ApiPropertyOptional({ default: false, description: 'Also email an all-clear to the contacts who were emailed the alarm.' })
  @Optional()
  @IsBoolean()
  notify_contacts?: boolean;
}

export class AlarmListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: AlarmStatus })
  @Optional()
  @IsEnum(AlarmStatus, { message: `status must be one of: ${Object.values(AlarmStatus).join(', ')}` })
  status?: AlarmStatus;
}

export class AdminAlarmListQueryDto extends AlarmListQueryDto {
  @UuidField({ optional: true, description: 'Only this user’s alarms.' })
  user_id?: string;

  @ApiPropertyOptional({ description: 'true: only alarms with a delivery that failed for good.' })
  @Optional()
  @QueryBoolean()
  @IsBoolean({ message: 'has_failures must be true or false' })
  has_failures?: boolean;
}

export class AlarmDeliveryDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ enum: DeliveryPurpose })
  purpose!: DeliveryPurpose;

  @ApiProperty({ enum: DeliveryRecipient })
  recipient_kind!: DeliveryRecipient;

  @ApiProperty({ enum: DeliveryChannel })
  channel!: DeliveryChannel;

  @ApiProperty({ maxLength: 100, example: 'Tom' })
  recipient_name!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 60, example: 'brother' })
  relationship!: string | null;

  @ApiProperty({ enum: DeliveryStatus, description: 'queued → sent → acknowledged; failed after the last retry; suppressed when the contact’s hourly cap was reached.' })
  status!: DeliveryStatus;

  @ApiProperty({ minimum: 0 })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true, maxLength: 500, description: 'Why the last attempt failed.' })
  last_error!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty({ nullable: true })
  sent_at!: string | null;

  @ApiDateTimeProperty({ nullable: true })
  acknowledged_at!: string | null;
}

export class AlarmTrackDto {
  @ApiProperty({ maxLength: 120 })
  name!: string;

  @ApiProperty({ format: 'uri', maxLength: 2048 })
  url!: string;
}

export class AlarmScenarioRefDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: 120 })
  name!: string;
}

/** The seed's AlarmResult flags. */
export class AlarmResultDto {
  @ApiProperty({ description: 'The scenario plays music and a track was chosen.' })
  music_played!: boolean;

  @ApiProperty({ description: 'At least one contact’s alarm email was sent.' })
  contacts_messaged!: boolean;

  @ApiProperty({ description: 'The therapist’s email or in-app alert was sent.' })
  therapist_notified!: boolean;

  @ApiProperty({ description: 'The alarm was resolved.' })
  completed!: boolean;
}

export class AlarmDto {
  @ApiUuidProperty()
  id!: string;

  @ApiUuidProperty({ description: 'Who raised it.' })
  user_id!: string;

  @ApiProperty({ enum: AlarmStatus })
  status!: AlarmStatus;

  @ApiProperty({ type: String, nullable: true, maxLength: 64 })
  client_request_id!: string | null;

  @ApiProperty({ type: AlarmScenarioRefDto, nullable: true })
  scenario!: AlarmScenarioRefDto | null;

  @ApiProperty()
  play_music!: boolean;

  @ApiProperty({ type: AlarmTrackDto, nullable: true })
  track!: AlarmTrackDto | null;

  @ApiProperty({ type: AlarmLocationDto, nullable: true })
  location!: AlarmLocationDto | null;

  @ApiProperty({ type: [AlarmDeliveryDto], maxItems: MAX_DELIVERIES_PER_ALARM, description: 'Oldest first: the alarm’s deliveries, then any all-clear ones.' })
  deliveries!: AlarmDeliveryDto[];

  @ApiProperty({ type: AlarmResultDto })
  result!: AlarmResultDto;

  @ApiDateTimeProperty()
  triggered_at!: string;

  @ApiDateTimeProperty({ nullable: true })
  resolved_at!: string | null;
}

export class AlarmTriggerResultDto {
  @ApiProperty({ type: AlarmDto })
  alarm!: AlarmDto;

  @ApiProperty({ description: 'true: this press repeated an open alarm (same client_request_id, or within the repeat window); nobody was alerted again.' })
  duplicate!: boolean;

  @ApiProperty({ description: 'Play the track now.' })
  play_music!: boolean;

  @ApiProperty({ type: AlarmTrackDto, nullable: true })
  track!: AlarmTrackDto | null;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: 300 },
    maxItems: 30,
    example: ['Your brother (Tom) is being notified by email.', 'Your therapist (Dr. Ada Lovelace) is being notified.'],
    description: 'One line per recipient, and what could not be done.',
  })
  messages!: string[];
}

