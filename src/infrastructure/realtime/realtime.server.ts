import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';
import { isClustered, roomSubscriptionsActive } from './redis-io.adapter';
import { ServerEvent, ServerEventMap } from './server-events';

export const userRoom = (userId: string): string => `user:${userId}`;
export const chatRoom = (conversationId: string): string => `chat:${conversationId}`;
/** Every connected manager and admin (support chat, emergencies). */
export const STAFF_ROOM = 'staff';

/** Server-to-server: "join this user's sockets to this room, and answer once you listen on it". */
const JOIN_EVENT = 'haven:join';
/** Server-to-server: "disconnect these sockets now" (a session or token ended, an account suspended or deleted). */
const REVOKE_EVENT = 'haven:revoke';

/** Which sockets lose their credential, and what they are told before they are disconnected. */
export interface SocketRevocation {
  userId: string;
  /** Only the sockets of this login session. */
  sessionId?: string;
  /** Only the sockets that connected with this API token. */
  apiTokenId?: string;
  /** All of the user's sockets but this session's (a password change from that session). */
  exceptSessionId?: string | null;
  /** Only sockets of login sessions, not of API tokens (sign out everywhere). */
  sessionsOnly?: boolean;
  code: string;
  message: string;
}

export type RevocationListener = (revocation: SocketRevocation) => void;

/**
 * The Socket.IO server as seen by services: they publish to rooms after their
 * transaction committed. With REDIS_URL the Redis adapter carries every emit to the
 * sockets on all API nodes; a job worker attaches a Socket.IO server without HTTP on the same
 * Redis channels (src/worker.ts). Without a server (the CLI), emits are dropped.
 */
@Injectable()
export class RealtimeServer implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  private server: Server | null = null;
  private closing = false;
  private revocationListener: RevocationListener | null = null;

  /** True once the app is shutting down: disconnect bookkeeping is skipped then. */
  get shuttingDown(): boolean {
    return this.closing;
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
  }

  attach(server: Server): void {
    this.server = server;
    if (isClustered(server)) {
      (server as unknown as { on(event: string, listener: (payload: { userId: string; room: string }, ack: () => void) => void): void }).on(
        JOIN_EVENT,
        ({ userId, room }, ack) =>
          void this.joinOnThisNode(server, userId, room).then(
            () => ack(),
            (error: Error) => (this.logger.warn(`joining ${room} for another node failed: ${error.message}`), ack()),
          ),
      );
      (server as unknown as { on(event: string, listener: (revocation: SocketRevocation) => void): void }).on(REVOKE_EVENT, (revocation) =>
        this.revocationListener?.(revocation),
      );
    }
  }

  /** The gateway's handler that disconnects this node's sockets matching a revocation. */
  onRevocation(listener: RevocationListener): void {
    this.revocationListener = listener;
  }

  /**
   * Disconnects the sockets of ended credentials at once, on this node and (with Redis)
   * every other API node. Call it after the revocation committed: a socket that reconnects
   * at once must find the credential already refused.
   */
  endSockets(revocation: SocketRevocation): void {
    this.revocationListener?.(revocation);
    const io = this.io;
    if (io && isClustered(io)) io.serverSideEmit(REVOKE_EVENT, revocation);
  }

  /**
   * Joins one socket of this node to rooms; resolves once the node listens on them, so the
   * client may rely on them as soon as it is told (connect, a join acknowledgement).
   */
  async joinSocket(socket: Pick<Socket, 'join' | 'nsp'>, rooms: string | string[]): Promise<void> {
    await socket.join(rooms);
    await roomSubscriptionsActive(socket.nsp.server);
  }

  private async joinOnThisNode(server: Server, userId: string, room: string): Promise<void> {
    server.local.in(userRoom(userId)).socketsJoin(room);
    await roomSubscriptionsActive(server);
  }

  /** The server to emit on; null before the gateway is up and once shutdown began (Redis may be gone). */
  get io(): Server | null {
    return this.closing ? null : this.server;
  }

  toUsers<E extends ServerEvent>(userIds: string[], event: E, payload: ServerEventMap[E]): void {
    if (this.io && userIds.length > 0) this.io.to(userIds.map(userRoom)).emit(event, payload);
  }

  /** To everyone in the chat's room (optionally also all staff, once each; optionally not the sending socket). */
  toChat<E extends ServerEvent>(conversationId: string, event: E, payload: ServerEventMap[E], options: { exceptSocketId?: string; alsoStaff?: boolean } = {}): void {
    if (!this.io) return;
    const rooms = options.alsoStaff ? [chatRoom(conversationId), STAFF_ROOM] : [chatRoom(conversationId)];
    const target = this.io.to(rooms);
    (options.exceptSocketId ? target.except(options.exceptSocketId) : target).emit(event, payload);
  }

  toStaff<E extends ServerEvent>(event: E, payload: ServerEventMap[E]): void {
    this.io?.to(STAFF_ROOM).emit(event, payload);
  }

  /** To every socket in any of these rooms, once each, except `exceptSocketId` (the sender of a typing signal). */
  toRooms<E extends ServerEvent>(rooms: string[], event: E, payload: ServerEventMap[E], exceptSocketId?: string): void {
    if (!this.io || rooms.length === 0) return;
    const target = this.io.to(rooms);
    (exceptSocketId ? target.except(exceptSocketId) : target).emit(event, payload);
  }

  /** To one socket of this node. */
  toSocket<E extends ServerEvent>(socket: Pick<Socket, 'emit'>, event: E, payload: ServerEventMap[E]): void {
    socket.emit(event, payload);
  }

  /**
   * Adds every socket of a user (on any node) to a chat room, e.g. after they joined a
   * group. Resolves once every node has joined them and listens on the room's channel, so
   * a message sent after this returns reaches all of them (a node that does not answer
   * within the adapter's 5 s is logged, not waited for).
   */
  async joinUserToChat(userId: string, conversationId: string): Promise<void> {
    const io = this.io;
    if (!io) return;
    const room = chatRoom(conversationId);
    await this.joinOnThisNode(io, userId, room);
    if (!isClustered(io)) return;
    try {
      await io.serverSideEmitWithAck(JOIN_EVENT, { userId, room });
    } catch (error) {
      this.logger.warn(`not every API node confirmed joining ${room}: ${(error as Error).message}`);
    }
  }

  leaveUserFromChat(userId: string, conversationId: string): void {
    this.io?.in(userRoom(userId)).socketsLeave(chatRoom(conversationId));
  }

  /** Which of these users have at least one connected socket on any node (one cluster round trip for all). */
  async onlineUsers(userIds: string[]): Promise<Set<string>> {
    const online = new Set<string>();
    if (!this.io || userIds.length === 0) return online;
    const wanted = new Set(userIds.map(userRoom));
    for (const socket of await this.io.in([...wanted]).fetchSockets()) {
      for (const room of socket.rooms) if (wanted.has(room)) online.add(room.slice(userRoom('').length));
    }
    return online;
  }
}
