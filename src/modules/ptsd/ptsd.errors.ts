import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The ptsd module's error codes: profile, emergency contacts, therapist contact, music, alarm scenarios. */
export const PTSD_ERRORS = defineErrorCodes({
  'PTSD.CONTACT_NOT_FOUND': HttpStatus.NOT_FOUND,
  'PTSD.CONTACT_LIMIT': HttpStatus.CONFLICT,
  'PTSD.THERAPIST_CONTACT_NOT_FOUND': HttpStatus.NOT_FOUND,
  'PTSD.TRACK_NOT_FOUND': HttpStatus.NOT_FOUND,
  'PTSD.SCENARIO_NOT_FOUND': HttpStatus.NOT_FOUND,
  'PTSD.DEFAULT_SCENARIO_REQUIRED': HttpStatus.CONFLICT,
});

type PtsdErrorCodes = typeof PTSD_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends PtsdErrorCodes {}
}
