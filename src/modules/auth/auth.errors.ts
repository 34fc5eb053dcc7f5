import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The auth module's error codes: sign-in, tokens, sessions, 2FA, passwords. */
export const AUTH_ERRORS = defineErrorCodes({
  'AUTH.INVALID_CREDENTIALS': HttpStatus.UNAUTHORIZED,
  'AUTH.INVALID_TOKEN': HttpStatus.UNAUTHORIZED,
  'AUTH.TOKEN_EXPIRED': HttpStatus.UNAUTHORIZED,
  'AUTH.TOKEN_REVOKED': HttpStatus.UNAUTHORIZED,
  'AUTH.SESSION_REVOKED': HttpStatus.UNAUTHORIZED,
  'AUTH.TOKEN_REUSED': HttpStatus.UNAUTHORIZED,
  'AUTH.INVALID_2FA_CODE': HttpStatus.UNAUTHORIZED,
  'AUTH.ACCOUNT_LOCKED': HttpStatus.LOCKED,
  'AUTH.ACCOUNT_SUSPENDED': HttpStatus.FORBIDDEN,
  'AUTH.WRONG_PASSWORD': HttpStatus.BAD_REQUEST,
  'AUTH.WRONG_2FA_CODE': HttpStatus.BAD_REQUEST,
  'AUTH.TWO_FACTOR_ALREADY_ENABLED': HttpStatus.CONFLICT,
  'AUTH.TWO_FACTOR_NOT_ENABLED': HttpStatus.CONFLICT,
  'AUTH.TWO_FACTOR_NOT_SET_UP': HttpStatus.CONFLICT,
  'AUTH.WEAK_PASSWORD': HttpStatus.BAD_REQUEST,
});

type AuthErrorCodes = typeof AUTH_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends AuthErrorCodes {}
}
