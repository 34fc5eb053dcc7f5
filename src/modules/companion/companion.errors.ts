import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The companion module's error codes: conversations with the AI companion and the daily quota. */
export const COMPANION_ERRORS = defineErrorCodes({
  'COMPANION.NOT_FOUND': HttpStatus.NOT_FOUND,
  'COMPANION.QUOTA_EXCEEDED': HttpStatus.TOO_MANY_REQUESTS,
});

type CompanionErrorCodes = typeof COMPANION_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends CompanionErrorCodes {}
}
