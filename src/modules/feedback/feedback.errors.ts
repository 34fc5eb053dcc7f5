import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The feedback module's error codes: a client's rating of a completed session. */
export const FEEDBACK_ERRORS = defineErrorCodes({
  'FEEDBACK.NOT_FOUND': HttpStatus.NOT_FOUND,
  'FEEDBACK.SESSION_NOT_FOUND': HttpStatus.NOT_FOUND,
  'FEEDBACK.SESSION_NOT_COMPLETED': HttpStatus.CONFLICT,
  'FEEDBACK.ALREADY_GIVEN': HttpStatus.CONFLICT,
});

type FeedbackErrorCodes = typeof FEEDBACK_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends FeedbackErrorCodes {}
}
