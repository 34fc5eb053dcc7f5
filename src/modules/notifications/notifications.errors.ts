import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The notifications module's error codes. */
export const NOTIFICATIONS_ERRORS = defineErrorCodes({
  'NOTIFICATIONS.NOT_FOUND': HttpStatus.NOT_FOUND,
});

type NotificationsErrorCodes = typeof NOTIFICATIONS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends NotificationsErrorCodes {}
}
