import { HttpStatus } from '@nestjs/common';

/**
 * Stable, documented error codes shared by every transport (HTTP and Socket.IO), each
 * with its HTTP status. This file holds the shared ones; each feature owns its codes in
 * its own `<feature>.errors.ts`, made with `defineErrorCodes` and merged into the
 * `ErrorCodeRegistry` type by module augmentation, so one table (`ErrorCodes`) maps every
 * code to its status and `ErrorCode` is checked at compile time everywhere.
 */
export const COMMON_ERRORS = {
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
  'COMMON.UNKNOWN_EVENT': HttpStatus.BAD_REQUEST,
  // The access rules in src/common/access are shared by every feature.
  'AUTH.SESSION_REQUIRED': HttpStatus.FORBIDDEN,
  'AUTH.PROVIDER_NOT_VERIFIED': HttpStatus.FORBIDDEN,
} as const satisfies Record<string, HttpStatus>;

type CommonErrorCodes = typeof COMMON_ERRORS;

/** Every code: the shared ones here, and each feature's, merged in by `declare module` in its errors file. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ErrorCodeRegistry extends CommonErrorCodes {}

export type ErrorCode = keyof ErrorCodeRegistry;

/**
 * The one table the filters read: code → HTTP status. Without a prototype, so only
 * defined codes are ever found. Filled by `defineErrorCodes` as each feature's errors file
 * loads (a feature's module file imports its errors file before anything else).
 */
export const ErrorCodes = Object.create(null) as Record<ErrorCode, HttpStatus>;

/** Registers a feature's codes (each `FEATURE.REASON` once, program-wide) and returns them. */
export function defineErrorCodes<const T extends Record<string, HttpStatus>>(codes: T): T {
  const table = ErrorCodes as Record<string, HttpStatus | undefined>;
  for (const [code, status] of Object.entries(codes)) {
    if (!/^[A-Z]+\.[A-Z0-9_]+$/.test(code)) throw new Error(`error code ${code} is not FEATURE.REASON`);
    if (table[code] !== undefined && table[code] !== status) throw new Error(`error code ${code} is defined twice with different statuses`);
    table[code] = status;
  }
  return codes;
}

defineErrorCodes(COMMON_ERRORS);

/** The HTTP status of a code; a code no feature registered is a programming error. */
export function errorStatus(code: ErrorCode): HttpStatus {
  const status = (ErrorCodes as Record<string, HttpStatus | undefined>)[code];
  if (status === undefined) throw new Error(`error code ${String(code)} is not registered: import its feature's errors file`);
  return status;
}

/** Field name → messages. `non_field_errors` holds messages about the request as a whole. */
export type FieldErrors = Record<string, string[]>;
