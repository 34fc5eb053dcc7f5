import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { FieldErrors } from 'src/common/errors/error-codes';

/** Flattens class-validator errors into `{ "field.sub": [messages] }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      result[path] = Object.entries(error.constraints).map(([rule, message]) =>
        rule === 'whitelistValidation' ? `${path} is not an accepted field` : message,
      );
    }
    Object.assign(result, flattenValidationErrors(error.children ?? [], path));
  }
  return result;
}

/**
 * The global pipe: transforms to the DTO class, strips nothing silently (unknown fields
 * are errors, so nobody can set their own role or counters), and answers 400 with the
 * field errors.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new AppException('COMMON.VALIDATION_FAILED', 'The request has invalid fields.', flattenValidationErrors(errors)),
  });
}
