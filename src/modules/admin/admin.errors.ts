import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The admin module's error codes: staff tools. */
export const ADMIN_ERRORS = defineErrorCodes({
  'ADMIN.CHANGE_FORBIDDEN': HttpStatus.FORBIDDEN,
});

type AdminErrorCodes = typeof ADMIN_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends AdminErrorCodes {}
}
