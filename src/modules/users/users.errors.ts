import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The users module's error codes: accounts and profiles. */
export const USERS_ERRORS = defineErrorCodes({
  'USERS.EMAIL_TAKEN': HttpStatus.CONFLICT,
  'USERS.USERNAME_TAKEN': HttpStatus.CONFLICT,
  'USERS.LAST_ADMIN': HttpStatus.CONFLICT,
});

type UsersErrorCodes = typeof USERS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends UsersErrorCodes {}
}
