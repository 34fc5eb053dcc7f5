import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The matching module's error codes: matches between clients and providers. */
export const MATCHING_ERRORS = defineErrorCodes({
  'MATCHING.NOT_FOUND': HttpStatus.NOT_FOUND,
  /** The pair already has a pending or accepted match. */
  'MATCHING.ALREADY_MATCHED': HttpStatus.CONFLICT,
  /** Only a pending match can be accepted or declined. */
  'MATCHING.NOT_PENDING': HttpStatus.CONFLICT,
  /** The provider (or staff) tried to answer a match: only its client accepts or declines. */
  'MATCHING.CLIENT_ONLY': HttpStatus.FORBIDDEN,
});

type MatchingErrorCodes = typeof MATCHING_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends MatchingErrorCodes {}
}
