import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The health module's error codes: the Prometheus endpoint. */
export const METRICS_ERRORS = defineErrorCodes({
  'METRICS.DISABLED': HttpStatus.NOT_FOUND,
  'METRICS.BAD_TOKEN': HttpStatus.UNAUTHORIZED,
});

type MetricsErrorCodes = typeof METRICS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends MetricsErrorCodes {}
}
