import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsJWT, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Role } from 'src/common/access/permissions';
import {
  CurrentPasswordField,
  EmailField,
  NameField,
  PasswordField,
  PersonalityDataDto,
  PersonalityDataField,
  SelfAssignableRoleField,
  UsernameField,
} from 'src/modules/users/user.fields';
import { TwoFactorCodeFields } from 'src/modules/users/two-factor-code.fields';
import { UserDto } from 'src/modules/users/users.dto';
import { ApiToken } from './api-token.entity';
import { AuthSession } from './auth-session.entity';
import { CHALLENGE_TTL_SECONDS } from './token.service';
import { Optional } from 'src/common/validation/presence';

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
  @ApiProperty({ required: false, example: 'ada@example.com', description: 'Sign in by email (or give `username`).' })
  @Optional()
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiProperty({ required: false, example: 'ada_l', description: 'Sign in by username (or give `email`).' })
  @Optional()
  @IsString()
  @MaxLength(254)
  username?: string;

  @CurrentPasswordField({ description: 'The account password.' })
  password!: string;
}

export class LoginSecondFactorDto extends TwoFactorCodeFields {
  @ApiProperty({ description: `The \`challenge_token\` from POST /auth/login; valid for ${CHALLENGE_TTL_SECONDS / 60} minutes.` })
  @IsJWT({ message: 'challenge_token must be the token from POST /auth/login' })
  challenge_token!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token of the last pair. It is spent: keep the new one.' })
  @IsJWT({ message: 'refresh must be a refresh token' })
  refresh!: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer …`.' })
  access!: string;

  @ApiProperty({ description: 'For POST /auth/refresh; single use.' })
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

  @ApiProperty({ required: false })
  access?: string;

  @ApiProperty({ required: false })
  refresh?: string;

  @ApiProperty({ required: false, enum: ['Bearer'] })
  token_type?: 'Bearer';

  @ApiProperty({ required: false, example: 900 })
  expires_in?: number;

  @ApiProperty({ required: false, example: 604800 })
  refresh_expires_in?: number;

  @ApiProperty({ required: false, description: 'Only when requires_2fa.' })
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
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXP', description: 'Base32 secret, for typing into an authenticator app.' })
  secret!: string;

  @ApiProperty({ example: 'otpauth://totp/Haven:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Haven', description: 'Show as a QR code.' })
  otpauth_uri!: string;
}

export class TwoFactorEnableDto {
  @ApiProperty({ example: '123456', description: 'A current code from the authenticator app.' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\s+/g, '') : value))
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class TwoFactorConfirmDto extends TwoFactorCodeFields {
  @CurrentPasswordField({ description: 'Your password.' })
  password!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], example: ['abcd-efgh-jkmn-pqrs'], description: 'Shown only now: each works once instead of a code.' })
  recovery_codes!: string[];
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Home automation', minLength: 1, maxLength: 100 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  name!: string;

  @ApiProperty({ required: false, minimum: 1, maximum: 3650, example: 90, description: 'Expire after this many days; default never.' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expires_in_days?: number;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Home automation' })
  name!: string;

  @ApiProperty({ example: 'hvn_3f9a0c12b4de', description: 'The public start of the token, to tell tokens apart.' })
  prefix!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_used_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expires_at!: string | null;
}

/** A signed-in device: one login session (its refresh-token family). */
export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time', description: 'When the user signed in.' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', description: 'The last sign-in or token refresh.' })
  last_used_at!: string;

  @ApiProperty({ format: 'date-time', description: 'When it ends unless refreshed again.' })
  expires_at!: string;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7', description: 'Address at sign-in.' })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'HavenApp/2.3 (iPhone; iOS 18.1)' })
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
  @ApiProperty({ description: 'The token, shown only now: send it as `Authorization: Token <token>`.' })
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
