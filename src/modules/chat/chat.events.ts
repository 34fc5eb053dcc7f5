import { declareServerEvents } from 'src/infrastructure/realtime/server-events';
import type { ConversationStatus } from './entities/conversation.entity';
import type { ChatRoomDto, MessageDto, ReactionSummaryDto, ReadReceiptDto } from './chat.dto';

/** The PTSD app's support-chat event, to the user and to every staff member. */
export interface SupportChatEvent {
  event: 'chat_message';
  message: string | null;
  identifier: string;
  user_id: string;
  from_admin: boolean;
  sender_id: string | null;
  message_id: string;
  chat_id: string;
  created_at: string;
}

/** A user's first socket connected, or their last one left (to staff: the support side). */
export interface UserPresenceEvent {
  event: 'user_connected' | 'user_disconnected';
  user_id: string;
  identifier: string;
}

/** The chat module's server events and their payloads (documented in openapi/asyncapi.yaml). */
export interface ChatServerEvents {
  message: MessageDto;
  message_edited: MessageDto;
  message_deleted: MessageDto;
  typing: { chat_id: string; user_id: string; is_typing: boolean };
  reaction: { chat_id: string; message_id: string; user_id: string; emoji: string; action: 'added' | 'removed'; reactions: ReactionSummaryDto[] };
  read: ReadReceiptDto;
  delivered: ReadReceiptDto;
  presence: { user_id: string; online: boolean; at: string };
  chat_updated: { chat_id: string; status: ConversationStatus; blocked_by: string | null };
  room_updated: ChatRoomDto;
  chat_message: SupportChatEvent;
  user_connected: UserPresenceEvent;
  user_disconnected: UserPresenceEvent;
}

declareServerEvents<ChatServerEvents>({
  message: true,
  message_edited: true,
  message_deleted: true,
  typing: true,
  reaction: true,
  read: true,
  delivered: true,
  presence: true,
  chat_updated: true,
  room_updated: true,
  chat_message: true,
  user_connected: true,
  user_disconnected: true,
});

declare module 'src/infrastructure/realtime/server-events' {
  // Merges the chat events into the one server event map.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventMap extends ChatServerEvents {}
}
