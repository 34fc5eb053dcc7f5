import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from 'src/common/validation/presence';

export const TOTP_CODE_LENGTH = 6;
export const RECOVERY_CODE_MAX_LENGTH = 40;
/** A typed code may carry spaces (`123 456`); longer input is not compacted, so it fails the 6-digit rule. */
const COMPACTABLE_MAX_LENGTH = 32;

/** Removes the spaces people type into codes; shared with TwoFactorEnableDto. */
export const CompactCode = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.length <= COMPACTABLE_MAX_LENGTH ? value.replace(/\s+/g, '') : value));

/** A second factor: a 6-digit TOTP `code` or a one-time `recovery_code`. Shared by login, 2FA settings and account deletion. */
export class TwoFactorCodeFields {
  @ApiProperty({
    required: false,
    example: '123456',
    pattern: '^\\d{6}$',
    maxLength: TOTP_CODE_LENGTH,
    description: 'The 6-digit code from the authenticator app; spaces are ignored.',
  })
  @CompactCode()
  @Optional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;

  @ApiProperty({
    required: false,
    example: 'abcd-efgh-jkmn-pqrs',
    maxLength: RECOVERY_CODE_MAX_LENGTH,
    description: 'One of the recovery codes shown when 2FA was enabled (each works once).',
  })
  @Optional()
  @IsString()
  @MaxLength(RECOVERY_CODE_MAX_LENGTH)
  recovery_code?: string;
}
