import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The alarms module's error codes. */
export const ALARMS_ERRORS = defineErrorCodes({
  'ALARMS.NOT_FOUND': HttpStatus.NOT_FOUND,
  'ALARMS.DELIVERY_NOT_FOUND': HttpStatus.NOT_FOUND,
  'ALARMS.ALREADY_RESOLVED': HttpStatus.CONFLICT,
  'ALARMS.DELIVERY_NOT_FAILED': HttpStatus.CONFLICT,
});

type AlarmsErrorCodes = typeof ALARMS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends AlarmsErrorCodes {}
}
