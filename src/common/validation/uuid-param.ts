import { Param, ParseUUIDPipe } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';

/** A UUID path parameter; anything else is a 400 naming the parameter. */
export const UuidParam = (name = 'id'): ParameterDecorator =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => AppException.validation(name, `${name} must be a UUID`) }));
