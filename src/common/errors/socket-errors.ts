import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppException } from './app.exception';
import { ErrorCode, FieldErrors } from './error-codes';
import { normaliseError } from './http-exception.filter';
import { assertSafeInput } from 'src/common/validation/input-guard';
import { flattenValidationErrors } from 'src/common/validation/validation.pipe';

/** The error half of a socket acknowledgement: the same codes and field errors as HTTP. */
export interface SocketError {
  code: ErrorCode;
  message: string;
  errors: FieldErrors;
  status: number;
}

export type SocketAck<T> = { ok: true; data: T } | { ok: false; error: SocketError };

export function toSocketError(error: unknown): SocketError {
  const normalised = normaliseError(error);
  if (normalised) return { code: normalised.code, message: normalised.message, errors: normalised.errors, status: normalised.status };
  return { code: 'COMMON.INTERNAL', message: 'Something went wrong on our side.', errors: {}, status: 500 };
}

/** Validates a socket payload against a DTO class exactly like the HTTP pipe does. */
export async function validatePayload<T extends object>(type: new () => T, payload: unknown): Promise<T> {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new AppException('COMMON.VALIDATION_FAILED', 'The event payload must be an object.');
  }
  assertSafeInput(payload);
  const instance = plainToInstance(type, payload);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new AppException('COMMON.VALIDATION_FAILED', 'The event has invalid fields.', flattenValidationErrors(errors));
  return instance;
}
