import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The goals module's error codes: goals and their progress entries. */
export const GOALS_ERRORS = defineErrorCodes({
  'GOALS.NOT_FOUND': HttpStatus.NOT_FOUND,
});

type GoalsErrorCodes = typeof GOALS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends GoalsErrorCodes {}
}
