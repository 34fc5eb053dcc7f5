import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The mood module's error codes: mood entries and shared mood logs. */
export const MOOD_ERRORS = defineErrorCodes({
  /** An entry that does not exist or is not the caller's, or a client's log the caller may not read. */
  'MOOD.NOT_FOUND': HttpStatus.NOT_FOUND,
});

type MoodErrorCodes = typeof MOOD_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends MoodErrorCodes {}
}
