import { Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { Principal } from 'src/common/access/principal';

/** What the gateway keeps on each authenticated socket. */
export interface SocketData {
  principal: Principal;
  /** The credential the socket connected with, checked again every SOCKET_REAUTH_SECONDS. */
  authorization: string;
  verifiedAt: number;
  /** Direct chats at connect time, for presence. */
  directChats: string[];
}

/** An authenticated client socket, as event handlers see it. */
export type HavenSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

/** Handles one client event: the payload in, the acknowledgement's data out (or an AppException). */
export type ClientEventHandler = (socket: HavenSocket, body: unknown) => Promise<unknown>;

/**
 * The events clients send, and who handles each. The chat gateway binds every event here
 * on each socket (with one acknowledgement wrapper: credentials re-checked, the same
 * error codes as HTTP); a feature with events of its own (the support chat) registers
 * them here from its own module instead of the gateway knowing the feature. Each event
 * is documented as a publish operation in openapi/asyncapi.yaml.
 */
@Injectable()
export class ClientEvents {
  private readonly handlers = new Map<string, ClientEventHandler>();

  handle(event: string, handler: ClientEventHandler): void {
    if (this.handlers.has(event)) throw new Error(`client event "${event}" has two handlers`);
    this.handlers.set(event, handler);
  }

  handlerOf(event: string): ClientEventHandler | undefined {
    return this.handlers.get(event);
  }

  /** Every handled event, sorted. */
  names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
