import { IsBoolean, IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { MAX_MESSAGE_LENGTH, ReactionDto, SendMessageDto } from './chat.dto';
import { Optional } from 'src/common/validation/presence';

/** Payloads of the client → server socket events (validated like HTTP bodies; unknown fields refused). */
export class SocketChatRefDto {
  @IsUUID()
  chat_id!: string;
}

export class SocketSendMessageDto extends SendMessageDto {
  @IsUUID()
  chat_id!: string;
}

export class SocketTypingDto extends SocketChatRefDto {
  @Optional()
  @IsBoolean()
  is_typing?: boolean;
}

export class SocketReactionDto extends ReactionDto {
  @IsUUID()
  chat_id!: string;

  @IsUUID()
  message_id!: string;

  @Optional()
  @IsIn(['add', 'remove'])
  action?: 'add' | 'remove';
}

export class SocketReceiptDto extends SocketChatRefDto {
  @Optional()
  @IsUUID()
  message_id?: string;
}

/** PTSD app support chat: `{message}` from a user, `{message, user_id}` from staff. */
export class SupportChatMessageDto {
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_MESSAGE_LENGTH)
  message!: string;

  @Optional()
  @IsUUID()
  user_id?: string;
}
