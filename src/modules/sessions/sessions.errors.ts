import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The sessions module's error codes: booking, rescheduling, cancelling and closing care sessions. */
export const SESSIONS_ERRORS = defineErrorCodes({
  'SESSIONS.NOT_FOUND': HttpStatus.NOT_FOUND,
  'SESSIONS.PROVIDER_NOT_FOUND': HttpStatus.NOT_FOUND,
  'SESSIONS.TYPE_NOT_OFFERED': HttpStatus.BAD_REQUEST,
  'SESSIONS.OUTSIDE_AVAILABILITY': HttpStatus.BAD_REQUEST,
  'SESSIONS.IN_PAST': HttpStatus.BAD_REQUEST,
  'SESSIONS.NOT_ACCEPTING_CLIENTS': HttpStatus.CONFLICT,
  'SESSIONS.SLOT_TAKEN': HttpStatus.CONFLICT,
  'SESSIONS.CLIENT_OVERLAP': HttpStatus.CONFLICT,
  'SESSIONS.NOT_UPCOMING': HttpStatus.CONFLICT,
  'SESSIONS.NOT_STARTED': HttpStatus.CONFLICT,
  'SESSIONS.PROVIDER_ONLY': HttpStatus.FORBIDDEN,
});

type SessionsErrorCodes = typeof SESSIONS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends SessionsErrorCodes {}
}
