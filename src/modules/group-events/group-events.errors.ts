import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The group-events module's error codes: events, tickets and the waitlist. */
export const EVENTS_ERRORS = defineErrorCodes({
  'EVENTS.NOT_FOUND': HttpStatus.NOT_FOUND,
  'EVENTS.TICKET_NOT_FOUND': HttpStatus.NOT_FOUND,
  'EVENTS.ALREADY_BOOKED': HttpStatus.CONFLICT,
  'EVENTS.EVENT_CANCELLED': HttpStatus.CONFLICT,
  'EVENTS.EVENT_STARTED': HttpStatus.CONFLICT,
  'EVENTS.CAPACITY_BELOW_REGISTERED': HttpStatus.CONFLICT,
  'EVENTS.TICKET_NOT_ACTIVE': HttpStatus.CONFLICT,
  'EVENTS.PAYMENT_NOT_PENDING': HttpStatus.CONFLICT,
  'EVENTS.PAYMENT_METHOD_REQUIRED': HttpStatus.BAD_REQUEST,
  'EVENTS.PAYMENT_DECLINED': HttpStatus.PAYMENT_REQUIRED,
});

type EventsErrorCodes = typeof EVENTS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends EventsErrorCodes {}
}
