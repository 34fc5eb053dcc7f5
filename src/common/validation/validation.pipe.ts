import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException, notAcceptedField } from 'src/common/errors/app.exception';
import { FieldErrors } from 'src/common/errors/error-codes';
import { ORDERING_ERROR } from 'src/common/pagination/api-ordering';
import { assertSafeInput } from './input-guard';
import { memoizeValidationMetadata } from './validation-metadata-cache';

/**
 * One clear message per field, for the first rule that failed: "email is required" when
 * the field is missing, "x is not an accepted field" for an unknown one, else the rule's
 * own message ("text must be a string").
 */
function messageFor(path: string, error: ValidationError, rules: Array<[string, string]>): string {
  const unknown = rules.find(([rule]) => rule === 'whitelistValidation');
  if (unknown) return notAcceptedField(path);
  if (error.value === undefined) return `${path} is required`;
  // Decorator order is not evaluation order (stacked decorators register bottom-up), so
  // "first" means: what the value is (its type) before how it must look (length, range).
  return (rules.find(([rule]) => TYPE_RULES.has(rule)) ?? rules[0])[1];
}

const TYPE_RULES = new Set([
  'isString', 'isInt', 'isNumber', 'isBoolean', 'isDate', 'isArray', 'isObject', 'isEnum', 'isIn', 'isUuid', 'isEmail', 'isJwt', 'nestedValidation',
]);

/** Flattens class-validator errors into `{ "field.sub": [message] }`. */
export function flattenValidationErrors(errors: ValidationError[]): FieldErrors {
  // A Map first: property names can be anything a client sent (unknown fields are reported too).
  const result = new Map<string, string[]>();
  const visit = (list: ValidationError[], parent: string): void => {
    for (const error of list) {
      const path = parent ? `${parent}.${error.property}` : error.property;
      const rules = Object.entries(error.constraints ?? {});
      if (rules.length > 0) result.set(path, [messageFor(path, error, rules)]);
      visit(error.children ?? [], path);
    }
  };
  visit(errors, '');
  return Object.fromEntries(result);
}

const orderingErrorOf = (value: unknown): string[] | undefined =>
  value !== null && typeof value === 'object' ? ((value as Record<symbol, string[] | undefined>)[ORDERING_ERROR] ?? undefined) : undefined;

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
      // The value tells a missing field from a wrong one; it is never sent back.
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => AppException.invalidFields(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (REQUEST_INPUTS.has(metadata.type)) assertSafeInput(value, metadata.data ?? '');
    const orderingError = metadata.type === 'query' && metadata.data === undefined ? orderingErrorOf(value) : undefined;
    if (!orderingError) return super.transform(value, metadata);
    // A list's bad `ordering` (found by OrderingCheckGuard) joins the query's other field errors.
    try {
      await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof AppException && error.code === 'COMMON.VALIDATION_FAILED') {
        throw AppException.invalidFields({ ...error.fieldErrors, ordering: orderingError });
      }
      throw error;
    }
    throw AppException.invalidFields({ ordering: orderingError });
  }
}

export function createValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new HavenValidationPipe();
}
