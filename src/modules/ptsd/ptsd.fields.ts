import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, ValidateBy } from 'class-validator';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { Nullable, Optional } from 'src/common/validation/presence';

/**
 * Composite field decorators of the ptsd module: validation, normalisation and OpenAPI in
 * one line. `optional`: the field may be left out (not sent as null); `nullable`: null clears it.
 */
interface FieldOptions {
  optional?: boolean;
  nullable?: boolean;
  description?: string;
}

function presence(options: FieldOptions): PropertyDecorator {
  if (options.nullable) return Nullable();
  if (options.optional) return Optional();
  return () => undefined;
}

/** The longest phone text accepted as typed (spaces, brackets, dashes); E.164 itself is at most 16. */
export const PHONE_INPUT_MAX_LENGTH = 40;
export const PHONE_MAX_LENGTH = 16;

/** The number in E.164 when the text is a valid international number, else null. */
export function normalisePhone(value: string): string | null {
  if (value.length > PHONE_INPUT_MAX_LENGTH) return null;
  const parsed = parsePhoneNumberFromString(value.trim());
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * An international phone number (`+` and the country code), stored in E.164:
 * `+1 (415) 555-2671` becomes `+14155552671`. Anything else is a 400 naming the field.
 */
export const PhoneField = (options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      required: !(options.optional || options.nullable),
      nullable: options.nullable,
      type: String,
      maxLength: PHONE_INPUT_MAX_LENGTH,
      example: '+14155552671',
      description: options.description ?? 'An international number starting with + and the country code; answered in E.164.',
    }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (normalisePhone(value) ?? value) : value)),
    presence(options),
    IsString(),
    ValidateBy({
      name: 'isE164Phone',
      validator: {
        // The transform left the text as typed when libphonenumber refused it.
        validate: (value: unknown) => typeof value === 'string' && normalisePhone(value) === value,
        defaultMessage: (args) => `${args?.property ?? 'phone'} must be a valid international phone number starting with + and the country code, e.g. +14155552671`,
      },
    }),
  );
