import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { FieldErrors } from 'src/common/errors/error-codes';
import { assertSafeInput } from './input-guard';

/** Flattens class-validator errors into `{ "field.sub": [messages] }`. */
export function flattenValidationErrors(errors: ValidationError[]): FieldErrors {
  // A Map first: property names can be anything a client sent (unknown fields are reported too).
  const result = new Map<string, string[]>();
  const visit = (list: ValidationError[], parent: string): void => {
    for (const error of list) {
      const path = parent ? `${parent}.${error.property}` : error.property;
      if (error.constraints) {
        result.set(
          path,
          Object.entries(error.constraints).map(([rule, message]) => (rule === 'whitelistValidation' ? `${path} is not an accepted field` : message)),
        );
      }
      visit(error.children ?? [], path);
    }
  };
  visit(errors, '');
  return Object.fromEntries(result);
}

/** Request values that reach the pipe; custom parameter decorators (the caller, the context) are ours. */
const REQUEST_INPUTS = new Set<ArgumentMetadata['type']>(['body', 'query', 'param']);

/**
 * The global pipe: refuses hostile shapes first (deep nesting, NUL, prototype keys), then
 * transforms to the DTO class, strips nothing silently (unknown fields are errors, so
 * nobody can set their own role or counters), and answers 400 with the field errors.
 */
@Injectable()
export class HavenValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: false,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new AppException('COMMON.VALIDATION_FAILED', 'The request has invalid fields.', flattenValidationErrors(errors)),
    });
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (REQUEST_INPUTS.has(metadata.type)) assertSafeInput(value, metadata.data ?? '');
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new HavenValidationPipe();
}
