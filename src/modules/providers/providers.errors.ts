import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The providers module's error codes: profiles, the directory, availability and free slots. */
export const PROVIDERS_ERRORS = defineErrorCodes({
  'PROVIDERS.NOT_FOUND': HttpStatus.NOT_FOUND,
  'PROVIDERS.PROFILE_REQUIRED': HttpStatus.CONFLICT,
  'PROVIDERS.EXCEPTION_NOT_FOUND': HttpStatus.NOT_FOUND,
  'PROVIDERS.TYPE_NOT_OFFERED': HttpStatus.BAD_REQUEST,
});

type ProvidersErrorCodes = typeof PROVIDERS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends ProvidersErrorCodes {}
}
