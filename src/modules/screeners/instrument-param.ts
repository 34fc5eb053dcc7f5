import { Param, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { AppException } from 'src/common/errors/app.exception';
import { Instrument, INSTRUMENTS } from './instruments';
import { ScreenerInstrument } from './screeners.types';

/** The `{instrument}` path segment (phq9 or gad7) to its definition; anything else is a 400 naming it. */
class InstrumentPipe implements PipeTransform<string, Instrument> {
  transform(value: string): Instrument {
    // A Map lookup: the path segment may be any text, `__proto__` included.
    const instrument = INSTRUMENTS.get(value as ScreenerInstrument);
    if (!instrument) throw AppException.validation('instrument', `instrument must be one of: ${[...INSTRUMENTS.keys()].join(', ')}`);
    return instrument;
  }
}

/**
 * Validates and documents the `{instrument}` path parameter. The parameter is typed as the
 * definition (an interface, so the global validation pipe leaves the raw text to this pipe).
 */
export const InstrumentParam =
  (): ParameterDecorator =>
  (target, method, index) => {
    Param('instrument', new InstrumentPipe())(target, method, index);
    const descriptor = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (method !== undefined && descriptor) {
      ApiParam({ name: 'instrument', required: true, enum: ScreenerInstrument, description: 'phq9 (PHQ-9) or gad7 (GAD-7).' })(target, method, descriptor);
    }
  };
