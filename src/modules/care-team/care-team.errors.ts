import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The care-team module's error codes: grants from clients to therapists. */
export const CARE_ERRORS = defineErrorCodes({
  'CARE.GRANT_NOT_FOUND': HttpStatus.NOT_FOUND,
  'CARE.GRANT_EXISTS': HttpStatus.CONFLICT,
  'CARE.CLIENTS_ONLY': HttpStatus.FORBIDDEN,
});

type CareErrorCodes = typeof CARE_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends CareErrorCodes {}
}
