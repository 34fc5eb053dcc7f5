import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from 'src/common/errors/error-codes';

/** The chat module's error codes: conversations, messages, rooms, attachments. */
export const CHAT_ERRORS = defineErrorCodes({
  'CHAT.NOT_FOUND': HttpStatus.NOT_FOUND,
  'CHAT.MESSAGE_NOT_FOUND': HttpStatus.NOT_FOUND,
  'CHAT.USER_NOT_FOUND': HttpStatus.NOT_FOUND,
  'CHAT.SELF_CHAT': HttpStatus.BAD_REQUEST,
  'CHAT.CLIENT_TO_CLIENT': HttpStatus.FORBIDDEN,
  'CHAT.PAIR_NOT_ALLOWED': HttpStatus.FORBIDDEN,
  'CHAT.PROVIDER_NOT_VERIFIED': HttpStatus.FORBIDDEN,
  'CHAT.BLOCKED': HttpStatus.FORBIDDEN,
  'CHAT.NOT_ACTIVE': HttpStatus.CONFLICT,
  'CHAT.SEND_NOT_ALLOWED': HttpStatus.FORBIDDEN,
  'CHAT.HISTORY_HIDDEN': HttpStatus.FORBIDDEN,
  'CHAT.TYPE_NOT_ALLOWED': HttpStatus.FORBIDDEN,
  'CHAT.REPLY_OTHER_CHAT': HttpStatus.BAD_REQUEST,
  'CHAT.ATTACHMENT_REQUIRED': HttpStatus.BAD_REQUEST,
  'CHAT.EMPTY_MESSAGE': HttpStatus.BAD_REQUEST,
  'CHAT.NOT_SENDER': HttpStatus.FORBIDDEN,
  'CHAT.MESSAGE_DELETED': HttpStatus.CONFLICT,
  'CHAT.STATUS_CHANGE_FORBIDDEN': HttpStatus.FORBIDDEN,
  'CHAT.ROOM_MANAGE_FORBIDDEN': HttpStatus.FORBIDDEN,
  'CHAT.ATTACHMENT_NOT_FOUND': HttpStatus.NOT_FOUND,
  'CHAT.ATTACHMENT_TYPE': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'CHAT.ATTACHMENT_TOO_LARGE': HttpStatus.PAYLOAD_TOO_LARGE,
});

type ChatErrorCodes = typeof CHAT_ERRORS;

declare module 'src/common/errors/error-codes' {
  // Merges this feature's codes into the one ErrorCode type.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends ChatErrorCodes {}
}
