import { QueryBoolean } from 'src/common/validation/query-boolean';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsString, IsUrl, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ApiDateTimeProperty, ApiUuidProperty, UUID_LENGTH } from 'src/common/http/api-responses';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { Nullable, Optional } from 'src/common/validation/presence';
import { UuidField } from 'src/common/validation/uuid-param';
import { EmailField, EMAIL_MAX_LENGTH } from 'src/modules/users/user.fields';
import { PHONE_MAX_LENGTH, PhoneField } from './ptsd.fields';
import { ALARM_LANGUAGES, type AlarmLanguage, TherapistContactKind } from './ptsd.types';

export const AGE_MIN = 13;
export const AGE_MAX = 120;
export const LOCATION_MAX_LENGTH = 200;
export const PTSD_LEVEL_MIN = 1;
export const PTSD_LEVEL_MAX = 5;
export const CONTACT_NAME_MAX_LENGTH = 100;
export const RELATIONSHIP_MAX_LENGTH = 60;
export const TRACK_NAME_MAX_LENGTH = 120;
export const TRACK_URL_MAX_LENGTH = 2048;
export const TRACK_DURATION_MAX_SECONDS = 36_000;
export const SCENARIO_NAME_MAX_LENGTH = 120;
export const SCENARIO_MESSAGE_MAX_LENGTH = 1000;

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
const HTTPS_URL: Parameters<typeof IsUrl>[0] = { protocols: ['https'], require_protocol: true, require_host: true };
const PLACEHOLDERS_NOTE = 'May contain `{first_name}`, `{last_name}` and `{full_name}`: the name of the user who raised the alarm.';

// ---------------------------------------------------------------- profile

export class UpdatePtsdProfileDto {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: AGE_MIN, maximum: AGE_MAX, example: 34 })
  @Nullable()
  @IsInt()
  @Min(AGE_MIN)
  @Max(AGE_MAX)
  age?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: LOCATION_MAX_LENGTH, example: 'Kyiv, Ukraine' })
  @Nullable()
  @trim
  @IsString()
  @MaxLength(LOCATION_MAX_LENGTH)
  location?: string | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, description: 'Whether the user serves or served in the military.' })
  @Nullable()
  @IsBoolean()
  military_status?: boolean | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: PTSD_LEVEL_MIN, maximum: PTSD_LEVEL_MAX, example: 3 })
  @Nullable()
  @IsInt()
  @Min(PTSD_LEVEL_MIN)
  @Max(PTSD_LEVEL_MAX)
  ptsd_level?: number | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', maxLength: UUID_LENGTH, nullable: true, description: 'An active track of /api/v1/music-tracks.' })
  @Nullable()
  @IsUUID()
  music_track_id?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', maxLength: UUID_LENGTH, nullable: true, description: 'An active scenario of /api/v1/alarm-scenarios.' })
  @Nullable()
  @IsUUID()
  scenario_id?: string | null;
}

export class TherapistContactDto {
  @ApiProperty({ enum: TherapistContactKind, description: '`external`: someone outside Haven; `platform`: a verified Haven therapist.' })
  kind!: TherapistContactKind;

  @ApiProperty({ type: String, maxLength: CONTACT_NAME_MAX_LENGTH, description: 'For a Haven therapist, the name on their account.' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: PHONE_MAX_LENGTH, description: 'E.164; null for a Haven therapist.' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: EMAIL_MAX_LENGTH, description: 'Null for a Haven therapist.' })
  email!: string | null;

  @ApiUuidProperty({ nullable: true, description: 'The Haven therapist’s user id; null for an external one.' })
  therapist_user_id!: string | null;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}

export class PtsdProfileDto {
  @ApiProperty({ type: Number, nullable: true, minimum: AGE_MIN, maximum: AGE_MAX })
  age!: number | null;

  @ApiProperty({ type: String, nullable: true, maxLength: LOCATION_MAX_LENGTH })
  location!: string | null;

  @ApiProperty({ type: Boolean, nullable: true })
  military_status!: boolean | null;

  @ApiProperty({ type: Number, nullable: true, minimum: PTSD_LEVEL_MIN, maximum: PTSD_LEVEL_MAX })
  ptsd_level!: number | null;

  @ApiUuidProperty({ nullable: true, description: 'The chosen track (it may since have been deactivated).' })
  music_track_id!: string | null;

  @ApiUuidProperty({ nullable: true, description: 'The chosen scenario; null: the default one is used.' })
  scenario_id!: string | null;

  @ApiProperty({ type: TherapistContactDto, nullable: true })
  therapist_contact!: TherapistContactDto | null;

  @ApiDateTimeProperty({ nullable: true, description: 'Null until the profile is first written.' })
  updated_at!: string | null;
}

// ---------------------------------------------------------------- emergency contacts

export class CreateEmergencyContactDto {
  @ApiProperty({ minLength: 1, maxLength: CONTACT_NAME_MAX_LENGTH, example: 'Maria Petrenko' })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(CONTACT_NAME_MAX_LENGTH)
  name!: string;

  @PhoneField()
  phone!: string;

  @EmailField({ optional: true, description: 'Where the alarm email goes; without it the contact is only listed.' })
  email?: string;

  @ApiProperty({ minLength: 1, maxLength: RELATIONSHIP_MAX_LENGTH, example: 'sister' })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(RELATIONSHIP_MAX_LENGTH)
  relationship!: string;

  @ApiPropertyOptional({ enum: ALARM_LANGUAGES, default: 'en', description: 'The language of the alarm email they receive.' })
  @Optional()
  @IsIn(ALARM_LANGUAGES)
  language?: AlarmLanguage;
}

export class UpdateEmergencyContactDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: CONTACT_NAME_MAX_LENGTH })
  @Optional()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(CONTACT_NAME_MAX_LENGTH)
  name?: string;

  @PhoneField({ optional: true })
  phone?: string;

  @EmailField({ nullable: true, description: 'null removes it.' })
  email?: string | null;

  @ApiPropertyOptional({ minLength: 1, maxLength: RELATIONSHIP_MAX_LENGTH })
  @Optional()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(RELATIONSHIP_MAX_LENGTH)
  relationship?: string;

  @ApiPropertyOptional({ enum: ALARM_LANGUAGES })
  @Optional()
  @IsIn(ALARM_LANGUAGES)
  language?: AlarmLanguage;
}

export class EmergencyContactDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: CONTACT_NAME_MAX_LENGTH })
  name!: string;

  @ApiProperty({ maxLength: PHONE_MAX_LENGTH, description: 'E.164.' })
  phone!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: EMAIL_MAX_LENGTH })
  email!: string | null;

  @ApiProperty({ maxLength: RELATIONSHIP_MAX_LENGTH })
  relationship!: string;

  @ApiProperty({ enum: ALARM_LANGUAGES })
  language!: AlarmLanguage;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}

// ---------------------------------------------------------------- therapist contact

/** Either `therapist_user_id` alone, or `name`, `phone` and `email` together. */
export class PutTherapistContactDto {
  @UuidField({ optional: true, description: 'A verified Haven therapist; leave name, phone and email out.' })
  therapist_user_id?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: CONTACT_NAME_MAX_LENGTH, example: 'Dr. Olena Koval', description: 'External therapist (with phone and email).' })
  @Optional()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(CONTACT_NAME_MAX_LENGTH)
  name?: string;

  @PhoneField({ optional: true, description: 'External therapist: an international number starting with +; answered in E.164.' })
  phone?: string;

  @EmailField({ optional: true, description: 'External therapist: where the alarm email goes.' })
  email?: string;
}

/** Changes fields of the existing contact; giving `therapist_user_id` switches to a Haven therapist, giving all three of name, phone and email to an external one. */
export class UpdateTherapistContactDto extends PutTherapistContactDto {}

// ---------------------------------------------------------------- music

export class CreateMusicTrackDto {
  @ApiProperty({ minLength: 1, maxLength: TRACK_NAME_MAX_LENGTH, example: 'Ocean waves' })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(TRACK_NAME_MAX_LENGTH)
  name!: string;

  @ApiProperty({ format: 'uri', maxLength: TRACK_URL_MAX_LENGTH, example: 'https://media.haven.example/calm/ocean-waves.mp3' })
  @IsString()
  @MaxLength(TRACK_URL_MAX_LENGTH)
  @IsUrl(HTTPS_URL, { message: 'url must be an https URL' })
  url!: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: TRACK_DURATION_MAX_SECONDS, example: 600 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(TRACK_DURATION_MAX_SECONDS)
  duration_seconds?: number;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateMusicTrackDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: TRACK_NAME_MAX_LENGTH })
  @Optional()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(TRACK_NAME_MAX_LENGTH)
  name?: string;

  @ApiPropertyOptional({ format: 'uri', maxLength: TRACK_URL_MAX_LENGTH })
  @Optional()
  @IsString()
  @MaxLength(TRACK_URL_MAX_LENGTH)
  @IsUrl(HTTPS_URL, { message: 'url must be an https URL' })
  url?: string;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: TRACK_DURATION_MAX_SECONDS })
  @Nullable()
  @IsInt()
  @Min(1)
  @Max(TRACK_DURATION_MAX_SECONDS)
  duration_seconds?: number | null;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  active?: boolean;
}

export class MusicTrackListQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: 'Only active (true) or inactive (false) tracks.' })
  @Optional()
  @QueryBoolean()
  @IsBoolean()
  active?: boolean;
}

export class MusicTrackDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: TRACK_NAME_MAX_LENGTH })
  name!: string;

  @ApiProperty({ format: 'uri', maxLength: TRACK_URL_MAX_LENGTH })
  url!: string;

  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: TRACK_DURATION_MAX_SECONDS })
  duration_seconds!: number | null;

  @ApiProperty()
  active!: boolean;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}

// ---------------------------------------------------------------- alarm scenarios

export class ScenarioMessagesInputDto {
  @ApiProperty({ minLength: 1, maxLength: SCENARIO_MESSAGE_MAX_LENGTH, description: `English text. ${PLACEHOLDERS_NOTE}` })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(SCENARIO_MESSAGE_MAX_LENGTH)
  en!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: SCENARIO_MESSAGE_MAX_LENGTH, description: 'Russian text; without it Russian-speaking contacts get the English one.' })
  @Optional()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(SCENARIO_MESSAGE_MAX_LENGTH)
  ru?: string;
}

export class ScenarioMessagesPatchDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: SCENARIO_MESSAGE_MAX_LENGTH })
  @Optional()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(SCENARIO_MESSAGE_MAX_LENGTH)
  en?: string;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: SCENARIO_MESSAGE_MAX_LENGTH, description: 'null removes the Russian text.' })
  @Nullable()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(SCENARIO_MESSAGE_MAX_LENGTH)
  ru?: string | null;
}

export class CreateAlarmScenarioDto {
  @ApiProperty({ minLength: 1, maxLength: SCENARIO_NAME_MAX_LENGTH, example: 'Call for support' })
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(SCENARIO_NAME_MAX_LENGTH)
  name!: string;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  play_music?: boolean;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  notify_contacts?: boolean;

  @ApiPropertyOptional({ default: false })
  @Optional()
  @IsBoolean()
  notify_therapist?: boolean;

  @ApiProperty({ type: ScenarioMessagesInputDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ScenarioMessagesInputDto)
  messages!: ScenarioMessagesInputDto;

  @ApiPropertyOptional({ default: false, description: 'true makes it the default (the previous default stops being one).' })
  @Optional()
  @IsBoolean()
  is_default?: boolean;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateAlarmScenarioDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: SCENARIO_NAME_MAX_LENGTH })
  @Optional()
  @trim
  @IsString()
  @MinLength(1)
  @MaxLength(SCENARIO_NAME_MAX_LENGTH)
  name?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  play_music?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  notify_contacts?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  notify_therapist?: boolean;

  @ApiPropertyOptional({ type: ScenarioMessagesPatchDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ScenarioMessagesPatchDto)
  messages?: ScenarioMessagesPatchDto;

  @ApiPropertyOptional({ description: 'true makes it the default; the default is changed by making another one the default, not by false.' })
  @Optional()
  @IsBoolean()
  is_default?: boolean;

  @ApiPropertyOptional({ description: 'The default scenario stays active.' })
  @Optional()
  @IsBoolean()
  active?: boolean;
}

export class AlarmScenarioListQueryDto extends MusicTrackListQueryDto {}

export class ScenarioMessagesDto {
  @ApiProperty({ maxLength: SCENARIO_MESSAGE_MAX_LENGTH })
  en!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: SCENARIO_MESSAGE_MAX_LENGTH })
  ru!: string | null;
}

export class AlarmScenarioDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: SCENARIO_NAME_MAX_LENGTH })
  name!: string;

  @ApiProperty()
  play_music!: boolean;

  @ApiProperty()
  notify_contacts!: boolean;

  @ApiProperty()
  notify_therapist!: boolean;

  @ApiProperty({ type: ScenarioMessagesDto, description: PLACEHOLDERS_NOTE })
  messages!: ScenarioMessagesDto;

  @ApiProperty()
  is_default!: boolean;

  @ApiProperty()
  active!: boolean;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty()
  updated_at!: string;
}
