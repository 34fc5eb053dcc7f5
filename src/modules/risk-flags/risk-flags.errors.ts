import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The risk-flags module's error codes: staff triage of flags. */
export const RISK_ERRORS = defineErrorCodes({
  'RISK.NOT_FOUND': HttpStatus.NOT_FOUND,
  'RISK.ALREADY_RESOLVED': HttpStatus.CONFLICT,
});

type RiskErrorCodes = typeof RISK_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends RiskErrorCodes {}
}
