import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The privacy module's error codes: data exports and their download links. */
export const PRIVACY_ERRORS = defineErrorCodes({
  /** An export that does not exist or is not the caller's. */
  'PRIVACY.EXPORT_NOT_FOUND': HttpStatus.NOT_FOUND,
  /** The archive is still being built, failed, or was removed after its time. */
  'PRIVACY.EXPORT_NOT_READY': HttpStatus.CONFLICT,
  /** A download link with a token this export never issued. */
  'PRIVACY.LINK_INVALID': HttpStatus.FORBIDDEN,
  /** A download link already used, replaced by a newer one, or past its time. */
  'PRIVACY.LINK_EXPIRED': HttpStatus.GONE,
});

type PrivacyErrorCodes = typeof PRIVACY_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends PrivacyErrorCodes {}
}
