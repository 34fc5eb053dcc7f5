import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  isEmail,
  IsIn,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { isSupportedCountry } from 'libphonenumber-js';
import { SELF_ASSIGNABLE_ROLES } from 'src/common/access/permissions';
import { Nullable, Optional } from 'src/common/validation/presence';
import { USER_LANGUAGES } from './users.types';

/**
 * Composite decorators for user fields: validation, transformation and OpenAPI in one
 * line, shared by registration, profile updates and admin tools so the rules agree.
 * `optional`: the field may be left out (but not sent as null); `nullable`: null clears it.
 */
interface FieldOptions {
  optional?: boolean;
  nullable?: boolean;
  description?: string;
}

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

function presence(options: FieldOptions): PropertyDecorator {
  if (options.nullable) return Nullable();
  if (options.optional) return Optional();
  return () => undefined;
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
export const USERNAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{1,28})[A-Za-z0-9]$/;
export const USERNAME_MAX_LENGTH = 30;
export const NAME_MAX_LENGTH = 100;
/** What sign-up and profile changes accept (RFC 5321's limit). */
export const EMAIL_MAX_LENGTH = 254;
/** The users.email column: also holds addresses the create-admin CLI was given. */
export const STORED_EMAIL_MAX_LENGTH = 320;
const INTEREST_MAX_LENGTH = 50;
const MAX_INTERESTS = 30;
const COMMUNICATION_STYLE_MAX_LENGTH = 100;

export const EmailField = (options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      required: !(options.optional || options.nullable),
      nullable: options.nullable,
      type: String,
      format: 'email',
      maxLength: EMAIL_MAX_LENGTH,
      example: 'ada@example.com',
      description: options.description,
    }),
    trim,
    presence(options),
    IsString(),
    MaxLength(EMAIL_MAX_LENGTH),
    // validator's isEmail throws (URIError) on a lone surrogate: such a string is simply not an address.
    ValidateBy({ name: 'isEmail', validator: { validate: isEmailAddress, defaultMessage: () => 'email must be a valid email address' } }),
  );

/** Whether `value` is an email address; false (never a throw) for any string, including malformed UTF-16. */
export function isEmailAddress(value: unknown): boolean {
  try {
    return typeof value === 'string' && isEmail(value);
  } catch {
    return false;
  }
}

export const UsernameField = (options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      required: false,
      nullable: options.nullable,
      type: String,
      pattern: USERNAME_PATTERN.source,
      minLength: 3,
      maxLength: USERNAME_MAX_LENGTH,
      example: 'ada_l',
      description: options.description ?? 'Optional, unique ignoring case; 3–30 letters, digits, `.`, `_` or `-`. Can be used to sign in.',
    }),
    trim,
    presence(options),
    IsString(),
    Matches(USERNAME_PATTERN, { message: "username must be 3-30 letters, digits, '.', '_' or '-', starting and ending with a letter or digit" }),
  );

export const NameField = (example: string, options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ required: !options.optional, minLength: 1, maxLength: NAME_MAX_LENGTH, example, description: options.description }),
    trim,
    presence(options),
    IsString(),
    MinLength(1, { message: '$property must not be empty' }),
    MaxLength(NAME_MAX_LENGTH),
  );

export const PasswordField = (options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      required: !options.optional,
      format: 'password',
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      example: 'correct horse battery staple',
      description:
        options.description ??
        `At least ${PASSWORD_MIN_LENGTH} characters; not your email or username and not a commonly used password.`,
    }),
    presence(options),
    IsString(),
    MaxLength(PASSWORD_MAX_LENGTH),
  );

/** The current password, to confirm a sensitive change (only checked for being a string here). */
export const CurrentPasswordField = (options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ required: !options.optional, format: 'password', maxLength: PASSWORD_MAX_LENGTH, description: options.description ?? 'Your current password.' }),
    presence(options),
    IsString(),
    MaxLength(PASSWORD_MAX_LENGTH),
  );

export const TIME_ZONE_MAX_LENGTH = 64;

/** Whether `value` names an IANA time zone this runtime knows (e.g. `Europe/Berlin`, `UTC`). */
export function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > TIME_ZONE_MAX_LENGTH) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name; decides which calendar day a mood entry or alarm belongs to. */
export const TimeZoneField = (options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      required: !options.optional,
      maxLength: TIME_ZONE_MAX_LENGTH,
      example: 'Europe/Berlin',
      description: options.description ?? 'An IANA time zone name (`Europe/Berlin`, `America/New_York`, `UTC`).',
    }),
    trim,
    presence(options),
    IsString(),
    ValidateBy({ name: 'isTimeZone', validator: { validate: isTimeZone, defaultMessage: () => 'time_zone must be an IANA time zone name such as Europe/Berlin' } }),
  );

/** Whether `value` is an ISO 3166-1 alpha-2 code (upper case) of a country or territory. */
export const isCountryCode = (value: unknown): boolean => typeof value === 'string' && /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);

/** Where the user lives, as an ISO 3166-1 alpha-2 code: which crisis helplines they are shown. */
export const CountryField = (options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      required: !options.optional,
      nullable: options.nullable,
      type: String,
      minLength: 2,
      maxLength: 2,
      example: 'DE',
      description: options.description ?? 'ISO 3166-1 alpha-2 country code, upper case (`DE`, `US`, `RU`); picks the crisis helplines shown to you.',
    }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value)),
    presence(options),
    ValidateBy({ name: 'isCountryCode', validator: { validate: isCountryCode, defaultMessage: () => 'country must be an ISO 3166-1 alpha-2 code such as DE' } }),
  );

/** The language Haven writes to the user in. */
export const LanguageField = (options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ required: !options.optional, enum: USER_LANGUAGES, default: 'en', description: options.description ?? 'The language of the companion and of crisis texts.' }),
    presence(options),
    IsIn(USER_LANGUAGES),
  );

export const SelfAssignableRoleField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      required: false,
      enum: SELF_ASSIGNABLE_ROLES,
      default: 'client',
      description: 'client (default), therapist or friend. Therapists and friends start unverified. manager and admin are never self-assignable.',
    }),
    presence({ optional: true }),
    IsIn(SELF_ASSIGNABLE_ROLES, { message: `role must be one of: ${SELF_ASSIGNABLE_ROLES.join(', ')} (manager and admin accounts are granted by an admin)` }),
  );

export class PersonalityDataDto {
  @ApiProperty({
    required: false,
    type: 'array',
    items: { type: 'string', maxLength: INTEREST_MAX_LENGTH },
    maxItems: MAX_INTERESTS,
    example: ['technology', 'sports'],
    description: `Up to ${MAX_INTERESTS} interests of up to ${INTEREST_MAX_LENGTH} characters.`,
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_INTERESTS)
  @IsString({ each: true })
  @MaxLength(INTEREST_MAX_LENGTH, { each: true })
  interests?: string[];

  @ApiProperty({ required: false, maxLength: COMMUNICATION_STYLE_MAX_LENGTH, example: 'friendly' })
  @Optional()
  @IsString()
  @MaxLength(COMMUNICATION_STYLE_MAX_LENGTH)
  communication_style?: string;
}

export const PersonalityDataField = (options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      required: false,
      nullable: options.nullable,
      type: PersonalityDataDto,
      description: options.description ?? 'What the user tells about themselves for matching. Not shown to other users.',
    }),
    presence(options),
    IsObject(),
    ValidateNested(),
    Type(() => PersonalityDataDto),
  );
