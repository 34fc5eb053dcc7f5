import { Injectable, OnModuleInit } from '@nestjs/common';
import { validatePayload } from 'src/common/errors/socket-errors';
import { declareServerEvents } from 'src/infrastructure/realtime/server-events';
import { ClientEvents, HavenSocket } from 'src/modules/chat/client-events';
import { CompanionMessagingService } from './companion-messaging.service';
import { CompanionExchangeDto, CompanionMessageDto, CompanionReplyChunk, CompanionSendEventDto } from './companion.dto';

/** The companion's server events and their payloads (documented in openapi/asyncapi.yaml). */
export interface CompanionServerEvents {
  /** One piece of a reply being written, to the user's sockets, `index` 0, 1, … in order. */
  companion_reply_chunk: CompanionReplyChunk;
  /** The whole reply once stored (also the answer of POST …/messages). */
  companion_reply: CompanionExchangeDto;
}

declareServerEvents<CompanionServerEvents>({ companion_reply_chunk: true, companion_reply: true });

declare module 'src/infrastructure/realtime/server-events' {
  // Merges the companion events into the one server event map.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventMap extends CompanionServerEvents {}
}

/**
 * `companion_send` over Socket.IO: the acknowledgement is the stored message; the reply
 * follows as `companion_reply_chunk` events and a final `companion_reply`. Registered with
 * the chat gateway's client events, so the gateway does not know the companion.
 */
@Injectable()
export class CompanionEvents implements OnModuleInit {
  constructor(
    private readonly events: ClientEvents,
    private readonly messaging: CompanionMessagingService,
  ) {}

  onModuleInit(): void {
    this.events.handle('companion_send', (socket, body) => this.send(socket, body));
  }

  private async send(socket: HavenSocket, body: unknown): Promise<CompanionMessageDto> {
    const dto = await validatePayload(CompanionSendEventDto, body);
    const sent = await this.messaging.send(socket.data.principal.userId, dto.conversation_id, dto.text);
    return sent.message;
  }
}
