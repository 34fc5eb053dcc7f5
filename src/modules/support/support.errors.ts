import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The support module's error codes: the user and staff support chat. */
export const SUPPORT_ERRORS = defineErrorCodes({
  'SUPPORT.USER_NOT_FOUND': HttpStatus.NOT_FOUND,
});

type SupportErrorCodes = typeof SUPPORT_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends SupportErrorCodes {}
}
