import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The screeners module's error codes: questionnaire responses. */
export const SCREENERS_ERRORS = defineErrorCodes({
  'SCREENERS.NOT_FOUND': HttpStatus.NOT_FOUND,
});

type ScreenersErrorCodes = typeof SCREENERS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends ScreenersErrorCodes {}
}
