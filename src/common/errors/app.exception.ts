import { HttpException } from '@nestjs/common';
import { ErrorCode, errorStatus, FieldErrors } from './error-codes';

/**
 * The one exception type features throw: a stable code (which fixes the HTTP status),
 * a human message, and optional field errors. Filters for each transport turn it into
 * the error envelope.
 */
export class AppException extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: FieldErrors = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message, errorStatus(code));
  }

  static notFound(what: string): AppException {
    return new AppException('COMMON.NOT_FOUND', `${what} not found.`);
  }

  /** A 400 naming each bad field with its messages. */
  static invalidFields(errors: FieldErrors): AppException {
    return new AppException('COMMON.VALIDATION_FAILED', 'The request has invalid fields.', errors);
  }

  static validation(field: string, ...messages: string[]): AppException {
    return AppException.invalidFields({ [field]: messages });
  }
}

/** The message for a field the endpoint does not take (an unknown DTO field, a body where none is taken). */
export const notAcceptedField = (path: string): string => `${path} is not an accepted field`;
