import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from 'src/common/validation/presence';

const compact = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\s+/g, '') : value));

/** A second factor: a 6-digit TOTP `code` or a one-time `recovery_code`. Shared by login, 2FA settings and account deletion. */
export class TwoFactorCodeFields {
  @ApiProperty({ required: false, example: '123456', description: 'The 6-digit code from the authenticator app.' })
  @compact
  @Optional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;

  @ApiProperty({ required: false, example: 'abcd-efgh-jkmn-pqrs', description: 'One of the recovery codes shown when 2FA was enabled (each works once).' })
  @Optional()
  @IsString()
  @MaxLength(40)
  recovery_code?: string;
}
