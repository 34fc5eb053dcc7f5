import { ApiProperty } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsJWT, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Role } from 'src/common/access/permissions';
import { ApiDateTimeProperty, ApiUuidProperty } from 'src/common/http/api-responses';
import {
  CurrentPasswordField,
  EMAIL_MAX_LENGTH,
  EmailField,
  NAME_MAX_LENGTH,
  NameField,
  PasswordField,
  PersonalityDataDto,
  PersonalityDataField,
  SelfAssignableRoleField,
  UsernameField,
} from 'src/modules/users/user.fields';
import { CompactCode, RECOVERY_CODE_MAX_LENGTH, TOTP_CODE_LENGTH, TwoFactorCodeFields } from 'src/modules/users/two-factor-code.fields';
import { UserDto } from 'src/modules/users/users.dto';
import { ApiToken } from './api-token.entity';
import { AuthSession } from './auth-session.entity';
import { RECOVERY_CODE_COUNT } from './two-factor.service';
import { CHALLENGE_TTL_SECONDS } from './token.service';
import { Optional } from 'src/common/validation/presence';

/**
 * Longest JWT Haven issues or accepts. Its tokens are about 400 characters (a few ids and
 * times, JWT_ISSUER and JWT_AUDIENCE); anything longer cannot be one of them.
 */
export const JWT_MAX_LENGTH = 2048;
/** `hvn_` and the token's prefix column (16). */
const API_TOKEN_PREFIX_LENGTH = 4 + 16;
/** `hvn_<12 hex>_<43 base64url>`, as ApiTokensService makes them. */
const API_TOKEN_LENGTH = 60;
/** The sessions and audit_log `ip` columns. */
const IP_MAX_LENGTH = 64;
/** The sessions `user_agent` column (longer ones are cut when stored). */
const USER_AGENT_MAX_LENGTH = 300;
/** otplib's secrets are 32 base32 characters; room for longer ones. */
const TOTP_SECRET_MAX_LENGTH = 64;
/** An otpauth:// URI: the issuer and the email (URL-encoded) plus the secret. */
const OTPAUTH_URI_MAX_LENGTH = 2048;

/** A compact JWS: three base64url parts. */
const JWT_PATTERN = '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$';

/** A token this API issued, sent back: a JWT of at most JWT_MAX_LENGTH. */
const JwtField = (description: string, message: string): PropertyDecorator =>
  applyDecorators(ApiProperty({ description, maxLength: JWT_MAX_LENGTH, pattern: JWT_PATTERN }), MaxLength(JWT_MAX_LENGTH), IsJWT({ message }));

/** A JWT in an answer. */
const JwtProperty = (options: { required?: boolean; description?: string } = {}): PropertyDecorator =>
  ApiProperty({ type: String, maxLength: JWT_MAX_LENGTH, pattern: JWT_PATTERN, ...options });

export class RegisterDto {
  @EmailField({ description: 'Unique ignoring case.' })
  email!: string;

  @UsernameField({ optional: true })
  username?: string;

  @PasswordField()
  password!: string;

  @NameField('Ada')
  first_name!: string;

  @NameField('Lovelace')
  last_name!: string;

  @SelfAssignableRoleField()
  role?: Role.Client | Role.Therapist | Role.Friend;

  @PersonalityDataField({ optional: true })
  personality_data?: PersonalityDataDto;
}

export class LoginDto {
  @ApiProperty({ required: false, maxLength: EMAIL_MAX_LENGTH, example: 'ada@example.com', description: 'Sign in by email (or give `username`).' })
  @Optional()
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string;

  @ApiProperty({ required: false, maxLength: EMAIL_MAX_LENGTH, example: 'ada_l', description: 'Sign in by username (or give `email`).' })
  @Optional()
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  username?: string;

  @CurrentPasswordField({ description: 'The account password.' })
  password!: string;
}

export class LoginSecondFactorDto extends TwoFactorCodeFields {
  @JwtField(`The \`challenge_token\` from POST /auth/login; valid for ${CHALLENGE_TTL_SECONDS / 60} minutes.`, 'challenge_token must be the token from POST /auth/login')
  challenge_token!: string;
}

export class RefreshDto {
  @JwtField('The refresh token of the last pair. It is spent: keep the new one.', 'refresh must be a refresh token')
  refresh!: string;
}

export class TokenPairDto {
  @JwtProperty({ description: 'JWT for `Authorization: Bearer …`.' })
  access!: string;

  @JwtProperty({ description: 'For POST /auth/refresh; single use.' })
  refresh!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires.' })
  expires_in!: number;

  @ApiProperty({ example: 604800, description: 'Seconds until the refresh token expires.' })
  refresh_expires_in!: number;
}

export class AuthResultDto extends TokenPairDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;
}

/** Either signed in (tokens) or, with 2FA on, a challenge for POST /auth/login/2fa. */
export class LoginResultDto {
  @ApiProperty({ description: 'true: no tokens yet; send `challenge_token` and a code to POST /auth/login/2fa.' })
  requires_2fa!: boolean;

  @ApiProperty({ required: false, type: UserDto })
  user?: UserDto;

  @JwtProperty({ required: false })
  access?: string;

  @JwtProperty({ required: false })
  refresh?: string;

  @ApiProperty({ required: false, enum: ['Bearer'] })
  token_type?: 'Bearer';

  @ApiProperty({ required: false, example: 900 })
  expires_in?: number;

  @ApiProperty({ required: false, example: 604800 })
  refresh_expires_in?: number;

  @JwtProperty({ required: false, description: 'Only when requires_2fa.' })
  challenge_token?: string;

  @ApiProperty({ required: false, example: CHALLENGE_TTL_SECONDS, description: 'Seconds the challenge stays valid.' })
  challenge_expires_in?: number;
}

export class LogoutAllResultDto {
  @ApiProperty({ example: 3, description: 'How many sessions were ended.' })
  sessions_ended!: number;
}

export class PasswordConfirmationDto {
  @CurrentPasswordField({ description: 'Your password.' })
  password!: string;
}

export class TwoFactorSetupDto {
  @ApiProperty({
    example: 'JBSWY3DPEHPK3PXP',
    maxLength: TOTP_SECRET_MAX_LENGTH,
    pattern: '^[A-Z2-7]+=*$',
    description: 'Base32 secret, for typing into an authenticator app.',
  })
  secret!: string;

  @ApiProperty({
    example: 'otpauth://totp/Haven:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Haven',
    format: 'uri',
    maxLength: OTPAUTH_URI_MAX_LENGTH,
    description: 'Show as a QR code.',
  })
  otpauth_uri!: string;
}

export class TwoFactorEnableDto {
  @ApiProperty({ example: '123456', pattern: '^\\d{6}$', maxLength: TOTP_CODE_LENGTH, description: 'A current code from the authenticator app; spaces are ignored.' })
  @CompactCode()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class TwoFactorConfirmDto extends TwoFactorCodeFields {
  @CurrentPasswordField({ description: 'Your password.' })
  password!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: RECOVERY_CODE_MAX_LENGTH },
    maxItems: RECOVERY_CODE_COUNT,
    example: ['abcd-efgh-jkmn-pqrs'],
    description: 'Shown only now: each works once instead of a code.',
  })
  recovery_codes!: string[];
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Home automation', minLength: 1, maxLength: NAME_MAX_LENGTH })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(NAME_MAX_LENGTH)
  name!: string;

  @ApiProperty({ required: false, minimum: 1, maximum: 3650, example: 90, description: 'Expire after this many days; default never.' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expires_in_days?: number;
}

export class ApiTokenDto {
  @ApiUuidProperty()
  id!: string;

  @ApiProperty({ maxLength: NAME_MAX_LENGTH, example: 'Home automation' })
  name!: string;

  @ApiProperty({
    example: 'hvn_3f9a0c12b4de',
    maxLength: API_TOKEN_PREFIX_LENGTH,
    pattern: '^hvn_[0-9a-f]+$',
    description: 'The public start of the token, to tell tokens apart.',
  })
  prefix!: string;

  @ApiDateTimeProperty()
  created_at!: string;

  @ApiDateTimeProperty({ nullable: true })
  last_used_at!: string | null;

  @ApiDateTimeProperty({ nullable: true })
  expires_at!: string | null;
}

/** A signed-in device: one login session (its refresh-token family). */
export class SessionDto {
  @ApiUuidProperty()
  id!: string;

  @ApiDateTimeProperty({ description: 'When the user signed in.' })
  created_at!: string;

  @ApiDateTimeProperty({ description: 'The last sign-in or token refresh.' })
  last_used_at!: string;

  @ApiDateTimeProperty({ description: 'When it ends unless refreshed again.' })
  expires_at!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: IP_MAX_LENGTH, example: '203.0.113.7', description: 'Address at sign-in.' })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: USER_AGENT_MAX_LENGTH, example: 'HavenApp/2.3 (iPhone; iOS 18.1)' })
  user_agent!: string | null;

  @ApiProperty({ description: 'True for the session this request was made with.' })
  current!: boolean;
}

export function toSessionDto(session: AuthSession, currentSessionId: string | null): SessionDto {
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    ip: session.ip,
    user_agent: session.userAgent,
    current: session.id === currentSessionId,
  };
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({
    maxLength: API_TOKEN_LENGTH,
    pattern: '^hvn_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$',
    description: 'The token, shown only now: send it as `Authorization: Token <token>`.',
  })
  token!: string;
}

export function toApiTokenDto(token: ApiToken): ApiTokenDto {
  return {
    id: token.id,
    name: token.name,
    prefix: `hvn_${token.prefix}`,
    created_at: token.createdAt.toISOString(),
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    expires_at: token.expiresAt?.toISOString() ?? null,
  };
}
