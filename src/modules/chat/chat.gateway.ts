import { Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Server, Socket } from 'socket.io';
import { isStaff } from 'src/common/access/permissions';
import { Principal, RequestAuthenticator } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { SocketAck, toSocketError, validatePayload } from 'src/common/errors/socket-errors';
import { AppConfig } from 'src/config/app-config';
import { chatRoom, RealtimeServer, SocketRevocation, STAFF_ROOM, userRoom } from 'src/infrastructure/realtime/realtime.server';
import { safeErrorMessage } from 'src/infrastructure/logging/safe-error';
import { DataSource } from 'typeorm';
import { ChatAccessService } from './chat-access.service';
import {
  SocketChatRefDto,
  SocketReactionDto,
  SocketReceiptDto,
  SocketSendMessageDto,
  SocketTypingDto,
} from './chat-socket.dto';
import { MessageDto, ReadReceiptDto } from './chat.dto';
import { ConversationKind } from './entities/conversation.entity';
import { MessageChangesService } from './messaging/message-changes.service';
import { MessageHistoryService } from './messaging/message-history.service';
import { MessageSendingService } from './messaging/message-sending.service';
import { ClientEvents, HavenSocket } from './client-events';

/** The credential from the handshake: `auth.token` (a JWT, `Bearer …` or `Token …`), else the Authorization header. */
function handshakeAuthorization(socket: Socket): string | undefined {
  const given = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof given === 'string' && given.trim()) return /\s/.test(given.trim()) ? given.trim() : `Bearer ${given.trim()}`;
  const header = socket.handshake.headers.authorization;
  return typeof header === 'string' ? header : undefined;
}

/**
 * Socket.IO for chat, presence, notifications and the support chat. Authenticated in the
 * handshake (refused with `connect_error` carrying the same error code as HTTP). Each
 * socket joins its user room, the rooms of its chats, and (staff) the staff room. Client
 * events call the same services as REST; acknowledgements are `{ok: true, data}` or
 * `{ok: false, error: {code, message, errors}}`. Events are documented in openapi/asyncapi.yaml.
 */
@WebSocketGateway({ cors: { origin: true, credentials: true }, pingInterval: 25_000, pingTimeout: 20_000 })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('ChatGateway');
  private sweep: NodeJS.Timeout | null = null;

  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly realtime: RealtimeServer,
    private readonly sending: MessageSendingService,
    private readonly reading: MessageHistoryService,
    private readonly changes: MessageChangesService,
    private readonly access: ChatAccessService,
    private readonly events: ClientEvents,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.registerChatEvents();
  }

  onModuleDestroy(): void {
    if (this.sweep) clearInterval(this.sweep);
  }

  afterInit(server: Server): void {
    this.realtime.attach(server);
    // Synchronously on connection, so no event of the socket can arrive before its handler.
    server.on('connection', (socket) => this.bindClientEvents(socket as unknown as HavenSocket));
    server.use((socket, next) => {
      const authorization = handshakeAuthorization(socket);
      if (!authorization) {
        next(Object.assign(new Error('Authentication required: pass your access token in auth.token.'), { data: { code: 'COMMON.UNAUTHENTICATED' } }));
        return;
      }
      void this.admit(socket as unknown as HavenSocket, authorization).then(
        () => next(),
        (error: unknown) => {
          const e = toSocketError(error);
          next(Object.assign(new Error(e.message), { data: { code: e.code } }));
        },
      );
    });
    // Revocations are published by the services that make them: their sockets go at once, on every node.
    this.realtime.onRevocation((revocation) => this.disconnectRevoked(server, revocation));
    // The backstop: idle sockets are checked too, so a socket whose credential ended
    // without a published revocation is dropped within SOCKET_REAUTH_SECONDS.
    this.sweep = setInterval(() => {
      for (const socket of server.sockets.sockets.values()) void this.reauthenticate(socket as unknown as HavenSocket, this.sweepMs).catch(() => undefined);
    }, this.sweepMs);
    this.sweep.unref();
  }

  /** How often the sweep runs; a socket due within one sweep is checked early, so none waits past SOCKET_REAUTH_SECONDS. */
  private get sweepMs(): number {
    return Math.max(100, Math.floor(this.config.chat.socketReauthMs / 5));
  }

  /** Tells and disconnects this node's sockets whose credential a revocation ended. */
  private disconnectRevoked(server: Server, revocation: SocketRevocation): void {
    const ids = [...(server.sockets.adapter.rooms.get(userRoom(revocation.userId)) ?? [])];
    for (const id of ids) {
      const socket = server.sockets.sockets.get(id) as unknown as HavenSocket | undefined;
      const principal = socket?.data.principal;
      if (!socket || !principal) continue;
      if (revocation.sessionId && principal.sessionId !== revocation.sessionId) continue;
      if (revocation.apiTokenId && principal.apiTokenId !== revocation.apiTokenId) continue;
      if (revocation.exceptSessionId && principal.sessionId === revocation.exceptSessionId) continue;
      if (revocation.sessionsOnly && !principal.sessionId) continue;
      this.endSocket(socket, { code: revocation.code, message: revocation.message });
    }
  }

  private endSocket(socket: HavenSocket, reason: { code: string; message: string }): void {
    this.realtime.toSocket(socket, 'session_ended', reason);
    // After the current event's acknowledgement (if any) has gone out.
    setImmediate(() => socket.disconnect(true));
  }

  /** Handshake: who is connecting, then their rooms (joined before the client sees `connect`). */
  private async admit(socket: HavenSocket, authorization: string): Promise<void> {
    const principal = await this.authenticator.authenticate({ authorization });
    if (!principal) throw new AppException('COMMON.UNAUTHENTICATED', 'Authentication required.');
    Object.assign(socket.data, { principal, authorization, verifiedAt: Date.now() });
    await this.joinRooms(socket, principal);
  }

  /**
   * Checks the socket's credential again once it is older than SOCKET_REAUTH_SECONDS:
   * role changes apply, and a revoked session or a suspended account is disconnected.
   */
  private async reauthenticate(socket: HavenSocket, earlyMs = 0): Promise<void> {
    if (Date.now() - socket.data.verifiedAt < this.config.chat.socketReauthMs - earlyMs) return;
    try {
      const principal = await this.authenticator.authenticate({ authorization: socket.data.authorization });
      if (!principal) throw new AppException('COMMON.UNAUTHENTICATED', 'Authentication required.');
      socket.data.principal = principal;
      socket.data.verifiedAt = Date.now();
    } catch (error) {
      const e = toSocketError(error);
      if (e.status !== 401 && e.status !== 403) throw error;
      this.endSocket(socket, { code: e.code, message: e.message });
      throw error;
    }
  }

  async handleConnection(socket: HavenSocket): Promise<void> {
    const principal = socket.data.principal;
    if (!principal || this.realtime.shuttingDown) return;
    try {
      await this.announceOnline(socket, principal);
    } catch (error) {
      this.logger.warn(`presence update failed: ${safeErrorMessage(error)}`);
    }
  }

  /** The user's room, every chat room they belong to, the staff room for staff. */
  private async joinRooms(socket: HavenSocket, principal: Principal): Promise<void> {
    const memberships = await this.dataSource.query<Array<{ conversation_id: string; kind: ConversationKind }>>(
      `SELECT p.conversation_id, c.kind FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
        WHERE p.user_id = $1 AND p.left_at IS NULL`,
      [principal.userId],
    );
    const rooms = [userRoom(principal.userId), ...memberships.map((m) => chatRoom(m.conversation_id))];
    if (isStaff(principal.role)) rooms.push(STAFF_ROOM);
    await this.realtime.joinSocket(socket, rooms);
    socket.data.directChats = memberships.filter((m) => m.kind === ConversationKind.Direct).map((m) => m.conversation_id);
  }

  /** First socket of a user: the other side of their direct chats, and staff, hear they are online. */
  private async announceOnline(socket: HavenSocket, principal: Principal): Promise<void> {
    const wasOnline = (await socket.nsp.in(userRoom(principal.userId)).fetchSockets()).length > 1;
    if (wasOnline) return;
    const direct = socket.data.directChats.map(chatRoom);
    this.realtime.toRooms(direct, 'presence', { user_id: principal.userId, online: true, at: new Date().toISOString() }, socket.id);
    if (!isStaff(principal.role)) this.realtime.toStaff('user_connected', { event: 'user_connected', user_id: principal.userId, identifier: principal.userId });
  }

  async handleDisconnect(socket: HavenSocket): Promise<void> {
    const principal = socket.data.principal;
    if (!principal || this.realtime.shuttingDown) return;
    try {
      await this.announceOffline(socket, principal);
    } catch (error) {
      // Presence is best effort; a failure here must not take the process down.
      this.logger.warn(`presence update failed: ${safeErrorMessage(error)}`);
    }
  }

  private async announceOffline(socket: HavenSocket, principal: Principal): Promise<void> {
    const remaining = await socket.nsp.in(userRoom(principal.userId)).fetchSockets();
    if (remaining.some((s) => s.id !== socket.id)) return;
    const direct = await this.dataSource.query<Array<{ conversation_id: string }>>(
      `SELECT p.conversation_id FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
        WHERE p.user_id = $1 AND p.left_at IS NULL AND c.kind = 'direct'`,
      [principal.userId],
    );
    this.realtime.toRooms(direct.map((d) => chatRoom(d.conversation_id)), 'presence', { user_id: principal.userId, online: false, at: new Date().toISOString() });
    if (!isStaff(principal.role)) this.realtime.toStaff('user_disconnected', { event: 'user_disconnected', user_id: principal.userId, identifier: principal.userId });
  }

  /** The chat's own client events; other features register theirs with ClientEvents. */
  private registerChatEvents(): void {
    this.events.handle('message', (socket, body) => this.message(socket, body));
    this.events.handle('join', (socket, body) => this.join(socket, body));
    this.events.handle('leave', (socket, body) => this.leave(socket, body));
    this.events.handle('typing', (socket, body) => this.typing(socket, body));
    this.events.handle('reaction', (socket, body) => this.reaction(socket, body));
    this.events.handle('read', (socket, body) => this.receipt(socket, body, 'read'));
    this.events.handle('delivered', (socket, body) => this.receipt(socket, body, 'delivered'));
  }

  /**
   * Binds the client events on a new socket. Bound here rather than with @SubscribeMessage:
   * Nest's per-event pipeline (rxjs streams, and the global guards and interceptors, which
   * do nothing for sockets) cost a tenth of a chat send's CPU. `ack` gives each event the
   * same authentication re-check and error shape.
   */
  private bindClientEvents(socket: HavenSocket): void {
    // An event Haven does not know still gets an answer, so a client's typo is not silence.
    (socket as unknown as Socket).onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && this.events.handlerOf(event)) return;
      const acknowledge = args.at(-1);
      if (typeof acknowledge !== 'function') return;
      const name = typeof event === 'string' ? event.replace(/[^\w.:-]/g, '').slice(0, 40) : '';
      (acknowledge as (answer: SocketAck<never>) => void)({
        ok: false,
        error: { code: 'COMMON.UNKNOWN_EVENT', message: `Unknown event "${name}"; the events are listed in openapi/asyncapi.yaml.`, errors: {}, status: 400 },
      });
    });
    for (const event of this.events.names()) {
      const handle = this.events.handlerOf(event)!;
      (socket as unknown as Socket).on(event, (...args: unknown[]) => {
        const acknowledge = typeof args.at(-1) === 'function' ? (args.pop() as (answer: SocketAck<unknown>) => void) : undefined;
        void this.ack(socket, () => handle(socket, args[0])).then((answer) => acknowledge?.(answer));
      });
    }
  }

  private async message(socket: HavenSocket, body: unknown): Promise<MessageDto> {
    const { chat_id, ...message } = await validatePayload(SocketSendMessageDto, body);
    return this.sending.send(socket.data.principal, chat_id, message, { socketId: socket.id });
  }

  private async join(socket: HavenSocket, body: unknown): Promise<{ chat_id: string }> {
    const { chat_id } = await validatePayload(SocketChatRefDto, body);
    await this.access.access(socket.data.principal, chat_id);
    await this.realtime.joinSocket(socket, chatRoom(chat_id));
    return { chat_id };
  }

  private async leave(socket: HavenSocket, body: unknown): Promise<{ chat_id: string }> {
    const { chat_id } = await validatePayload(SocketChatRefDto, body);
    await socket.leave(chatRoom(chat_id));
    return { chat_id };
  }

  private async typing(socket: HavenSocket, body: unknown): Promise<{ chat_id: string }> {
    const { chat_id, is_typing } = await validatePayload(SocketTypingDto, body);
    // Only sockets in the chat's room (joined because they belong to it) may signal typing there.
    if (!socket.rooms.has(chatRoom(chat_id))) throw new AppException('CHAT.NOT_FOUND', 'Chat not found.');
    this.realtime.toRooms([chatRoom(chat_id)], 'typing', { chat_id, user_id: socket.data.principal.userId, is_typing: is_typing !== false }, socket.id);
    return { chat_id };
  }

  private async reaction(socket: HavenSocket, body: unknown): Promise<MessageDto> {
    const dto = await validatePayload(SocketReactionDto, body);
    return dto.action === 'remove'
      ? this.changes.removeReaction(socket.data.principal, dto.chat_id, dto.message_id, dto.emoji)
      : this.changes.addReaction(socket.data.principal, dto.chat_id, dto.message_id, dto.emoji);
  }

  private async receipt(socket: HavenSocket, body: unknown, kind: 'read' | 'delivered'): Promise<ReadReceiptDto> {
    const dto = await validatePayload(SocketReceiptDto, body);
    return this.reading.receipt(socket.data.principal, dto.chat_id, kind, dto.message_id);
  }

  private async ack<T>(socket: HavenSocket, work: () => Promise<T>): Promise<SocketAck<T>> {
    try {
      await this.reauthenticate(socket);
      return { ok: true, data: await work() };
    } catch (error) {
      const e = toSocketError(error);
      if (e.status >= 500) this.logger.error({ err: error }, 'socket event failed');
      return { ok: false, error: e };
    }
  }
}
