import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The tickets module's error codes: the support desk. */
export const TICKETS_ERRORS = defineErrorCodes({
  'TICKETS.NOT_FOUND': HttpStatus.NOT_FOUND,
  'TICKETS.ATTACHMENT_NOT_FOUND': HttpStatus.NOT_FOUND,
  'TICKETS.CHAT_MESSAGE_NOT_FOUND': HttpStatus.NOT_FOUND,
  'TICKETS.CLOSED': HttpStatus.CONFLICT,
  'TICKETS.NOT_REOPENABLE': HttpStatus.CONFLICT,
});

type TicketsErrorCodes = typeof TICKETS_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends TicketsErrorCodes {}
}
