import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The groups module's error codes: support groups and their members. */
export const GROUPS_ERRORS = defineErrorCodes({
  'GROUPS.NOT_FOUND': HttpStatus.NOT_FOUND,
  'GROUPS.ALREADY_MEMBER': HttpStatus.CONFLICT,
  'GROUPS.NOT_MEMBER': HttpStatus.CONFLICT,
  'GROUPS.NOT_MODERATOR': HttpStatus.FORBIDDEN,
});

type GroupsErrorCodes = typeof GROUPS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends GroupsErrorCodes {}
}
