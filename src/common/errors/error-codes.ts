import { HttpStatus } from '@nestjs/common';

/**
 * Stable, documented error codes shared by every transport (HTTP and Socket.IO).
 * Features add their own `FEATURE.REASON` codes here so that one table maps a code
 * to its HTTP status.
 */
export const ErrorCodes = {
  'COMMON.VALIDATION_FAILED': HttpStatus.BAD_REQUEST,
  'COMMON.MALFORMED_JSON': HttpStatus.BAD_REQUEST,
  'COMMON.BAD_REQUEST': HttpStatus.BAD_REQUEST,
  'COMMON.UNAUTHENTICATED': HttpStatus.UNAUTHORIZED,
  'COMMON.FORBIDDEN': HttpStatus.FORBIDDEN,
  'COMMON.NOT_FOUND': HttpStatus.NOT_FOUND,
  'COMMON.ROUTE_NOT_FOUND': HttpStatus.NOT_FOUND,
  'COMMON.METHOD_NOT_ALLOWED': HttpStatus.METHOD_NOT_ALLOWED,
  'COMMON.CONFLICT': HttpStatus.CONFLICT,
  'COMMON.PAYLOAD_TOO_LARGE': HttpStatus.PAYLOAD_TOO_LARGE,
  'COMMON.UNSUPPORTED_MEDIA_TYPE': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'COMMON.RATE_LIMITED': HttpStatus.TOO_MANY_REQUESTS,
  'COMMON.SERVICE_UNAVAILABLE': HttpStatus.SERVICE_UNAVAILABLE,
  'COMMON.INTERNAL': HttpStatus.INTERNAL_SERVER_ERROR,
  'METRICS.DISABLED': HttpStatus.NOT_FOUND,
  'METRICS.BAD_TOKEN': HttpStatus.UNAUTHORIZED,
  'AUTH.INVALID_CREDENTIALS': HttpStatus.UNAUTHORIZED,
  'AUTH.INVALID_TOKEN': HttpStatus.UNAUTHORIZED,
  'AUTH.TOKEN_EXPIRED': HttpStatus.UNAUTHORIZED,
  'AUTH.TOKEN_REVOKED': HttpStatus.UNAUTHORIZED,
  'AUTH.SESSION_REVOKED': HttpStatus.UNAUTHORIZED,
  'AUTH.TOKEN_REUSED': HttpStatus.UNAUTHORIZED,
  'AUTH.INVALID_2FA_CODE': HttpStatus.UNAUTHORIZED,
  'AUTH.ACCOUNT_LOCKED': HttpStatus.LOCKED,
  'AUTH.ACCOUNT_SUSPENDED': HttpStatus.FORBIDDEN,
  'AUTH.SESSION_REQUIRED': HttpStatus.FORBIDDEN,
  'AUTH.PROVIDER_NOT_VERIFIED': HttpStatus.FORBIDDEN,
  'AUTH.WRONG_PASSWORD': HttpStatus.BAD_REQUEST,
  'AUTH.WRONG_2FA_CODE': HttpStatus.BAD_REQUEST,
  'AUTH.TWO_FACTOR_ALREADY_ENABLED': HttpStatus.CONFLICT,
  'AUTH.TWO_FACTOR_NOT_ENABLED': HttpStatus.CONFLICT,
  'AUTH.TWO_FACTOR_NOT_SET_UP': HttpStatus.CONFLICT,
  'USERS.EMAIL_TAKEN': HttpStatus.CONFLICT,
  'USERS.USERNAME_TAKEN': HttpStatus.CONFLICT,
  'USERS.WEAK_PASSWORD': HttpStatus.BAD_REQUEST,
  'USERS.LAST_ADMIN': HttpStatus.CONFLICT,
  'ADMIN.CHANGE_FORBIDDEN': HttpStatus.FORBIDDEN,
} as const satisfies Record<string, HttpStatus>;

export type ErrorCode = keyof typeof ErrorCodes;

/** Field name → messages. `non_field_errors` holds messages about the request as a whole. */
export type FieldErrors = Record<string, string[]>;
