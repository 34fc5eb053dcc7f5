import { applyDecorators, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam, ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { AppException } from 'src/common/errors/app.exception';
import { UUID_LENGTH } from 'src/common/http/api-responses';
import { Optional } from './presence';

/**
 * A UUID path parameter; anything else is a 400 naming the parameter. Also documents
 * the parameter (`format: uuid`), so routes need no separate `@ApiParam`.
 */
export const UuidParam =
  (name = 'id', description?: string): ParameterDecorator =>
  (target, method, index) => {
    Param(name, new ParseUUIDPipe({ exceptionFactory: () => AppException.validation(name, `${name} must be a UUID`) }))(target, method, index);
    const descriptor = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (method !== undefined && descriptor) {
      ApiParam({ name, required: true, description, schema: { type: 'string', format: 'uuid', maxLength: UUID_LENGTH } })(target, method, descriptor);
    }
  };

/** A UUID body or query field: validated and documented (`format: uuid`) in one. */
export const UuidField = (options: { optional?: boolean; description?: string; message?: string } = {}): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ type: String, format: 'uuid', maxLength: UUID_LENGTH, required: options.optional !== true, description: options.description }),
    ...(options.optional === true ? [Optional()] : []),
    IsUUID(undefined, options.message === undefined ? undefined : { message: options.message }),
  );
