import { Transform } from 'class-transformer';

/**
 * A boolean in the query string: `true` and `false` become booleans; anything else is left
 * as sent, so `@IsBoolean()` refuses it with a 400 naming the parameter.
 */
export const QueryBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
