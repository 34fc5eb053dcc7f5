import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The safety-plans module's error codes. */
export const SAFETYPLANS_ERRORS = defineErrorCodes({
  /** No such plan version, or a client whose plan the caller may not see (the same answer for both). */
  'SAFETYPLANS.NOT_FOUND': HttpStatus.NOT_FOUND,
  /** `base_version` is not the current version: someone saved in between. */
  'SAFETYPLANS.VERSION_CONFLICT': HttpStatus.CONFLICT,
});

type SafetyPlansErrorCodes = typeof SAFETYPLANS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends SafetyPlansErrorCodes {}
}
