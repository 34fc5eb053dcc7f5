import { io, Socket } from 'socket.io-client';

/** A Socket.IO client signed in with `token` (JWT, or `Token …`), connected over websocket. */
export async function connectSocket(url: string, token: string | undefined): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], auth: token === undefined ? {} : { token }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return socket;
}

/** Resolves with the connect_error a refused handshake produces. */
export async function connectError(url: string, token: string | undefined): Promise<Error & { data?: { code?: string } }> {
  const socket = io(url, { transports: ['websocket'], auth: token === undefined ? {} : { token }, reconnection: false, forceNew: true });
  try {
    return await new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error('connected although it should have been refused')));
      socket.once('connect_error', (error) => resolve(error as Error & { data?: { code?: string } }));
    });
  } finally {
    socket.close();
  }
}

export function emitAck<T = any>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return socket.timeout(10_000).emitWithAck(event, payload) as Promise<T>;
}

/** The next `event` on `socket` whose payload satisfies `match` (rejects after `ms`). */
export function nextEvent<T = any>(socket: Socket, event: string, match: (payload: T) => boolean = () => true, ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no "${event}" event within ${ms} ms`));
    }, ms);
    const handler = (payload: T): void => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

/** Collects every `event` payload on `socket` from now on. */
export function collect<T = any>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}
