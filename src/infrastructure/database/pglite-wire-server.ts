import type { PGlite } from '@electric-sql/pglite';
import { createServer, Server, Socket } from 'node:net';
import { SCRAM_SHA_256, ScramExchange, ScramVerifier } from './scram';

const SSL_REQUEST = 80877103;
const GSS_ENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
// PostgreSQL's own limits: a bigger startup packet is refused, an unauthenticated connection is dropped after a minute.
const MAX_STARTUP_LENGTH = 10_000;
const MAX_AUTH_MESSAGE_LENGTH = 10_000;
const AUTH_TIMEOUT_MS = 60_000;
const AUTH_SASL = 10;
const AUTH_SASL_CONTINUE = 11;
const AUTH_SASL_FINAL = 12;
// A client's request cycle ends with Sync (extended protocol), Query (simple), Flush or Terminate.
const CYCLE_END = new Set(['S', 'Q', 'H']);

/** A client between its startup message and a proven password: nothing it sends reaches PGlite. */
interface Authentication {
  startup: Uint8Array;
  user: string;
  scram: ScramExchange;
  step: 'initial' | 'final';
}

interface Client {
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  pending: Uint8Array[];
  auth: Authentication | null;
  /** Drops a connection that has not proven the password in time, as PostgreSQL's authentication_timeout does. */
  authTimer: NodeJS.Timeout | null;
  refused: boolean;
}

interface Cycle {
  client: Client;
  messages: Uint8Array[];
}

/**
 * Serves one PGlite (a single PostgreSQL backend) to several wire-protocol clients, e.g.
 * the connections of a `pg` pool. PGlite runs one thing at a time, so clients take turns
 * by whole request cycles — every message up to Sync — never by single messages: two
 * clients' Parse/Bind/Execute never interleave. While a client has a transaction open,
 * only that client's cycles run. (pglite-socket's multiplexer interleaves single
 * messages of concurrent clients, which binds one client's parameters to another's
 * statement; hence this server.)
 *
 * Every client proves the password with SCRAM-SHA-256 first, as PostgreSQL asks it: the
 * startup message is held back and reaches PGlite (which answers AuthenticationOk and
 * the session parameters) only after the proof holds. A wrong or missing password gets
 * a FATAL 28P01 ErrorResponse and the connection is closed.
 */
export class PgliteWireServer {
  private server: Server | null = null;
  private readonly clients = new Set<Client>();
  private readonly queue: Cycle[] = [];
  private transactionOwner: Client | null = null;
  private draining = false;
  private readonly verifier: ScramVerifier;

  constructor(
    private readonly db: PGlite,
    private readonly maxConnections: number,
    password: string,
  ) {
    this.verifier = new ScramVerifier(password);
  }

  async listen(host: string, port = 0): Promise<number> {
    this.server = createServer((socket) => this.accept(socket));
    this.server.maxConnections = this.maxConnections;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const authTimer = setTimeout(() => socket.destroy(), AUTH_TIMEOUT_MS).unref();
    const client: Client = { socket, buffer: Buffer.alloc(0), started: false, pending: [], auth: null, authTimer, refused: false };
    this.clients.add(client);
    socket.on('data', (data: Buffer) => {
      if (client.refused) return;
      client.buffer = Buffer.concat([client.buffer, data]);
      this.parse(client);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void this.disconnected(client));
  }

  /** Splits the client's bytes into protocol messages and queues each complete cycle. */
  private parse(client: Client): void {
    for (;;) {
      const buffer = client.buffer;
      if (!client.started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (length < 8 || length > MAX_STARTUP_LENGTH) {
          client.socket.destroy();
          return;
        }
        const code = buffer.readInt32BE(4);
        if (buffer.length < length) return;
        client.buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSS_ENC_REQUEST) {
          client.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) continue;
        client.started = true;
        this.challenge(client, buffer.subarray(0, length));
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      // Before the password is proven, no one gets to make this server buffer much.
      if (client.auth && (length < 4 || length > MAX_AUTH_MESSAGE_LENGTH)) {
        this.refuse(client, client.auth.user);
        return;
      }
      const total = 1 + length;
      if (buffer.length < total) return;
      const type = String.fromCharCode(buffer[0]);
      const message = new Uint8Array(buffer.subarray(0, total));
      client.buffer = buffer.subarray(total);
      if (type === 'X') {
        client.socket.end();
        return;
      }
      if (client.auth) {
        if (!this.authenticate(client, client.auth, type, Buffer.from(message.subarray(5)))) return;
        continue;
      }
      client.pending.push(message);
      if (CYCLE_END.has(type)) {
        this.enqueue(client, client.pending);
        client.pending = [];
      }
    }
  }

  /** Holds the startup message back and asks for SCRAM-SHA-256 (AuthenticationSASL). */
  private challenge(client: Client, startup: Buffer): void {
    const params = startup.subarray(8).toString('utf8').split('\0');
    const userAt = params.findIndex((value, i) => i % 2 === 0 && value === 'user');
    client.auth = {
      startup: new Uint8Array(startup),
      user: userAt >= 0 ? (params[userAt + 1] ?? '') : '',
      scram: this.verifier.exchange(),
      step: 'initial',
    };
    client.socket.write(authentication(AUTH_SASL, Buffer.from(`${SCRAM_SHA_256}\0\0`)));
  }

  /**
   * One SASL message of the client (SASLInitialResponse, then SASLResponse). Anything else,
   * malformed or not, fails the authentication. False when the client was refused.
   */
  private authenticate(client: Client, auth: Authentication, type: string, body: Buffer): boolean {
    let reply: string | null = null;
    try {
      if (type === 'p' && auth.step === 'initial') {
        const end = body.indexOf(0);
        if (end >= 0 && body.toString('utf8', 0, end) === SCRAM_SHA_256 && body.length >= end + 5) {
          const size = body.readInt32BE(end + 1);
          if (size === body.length - end - 5) reply = auth.scram.serverFirst(body.toString('utf8', end + 5));
        }
      } else if (type === 'p') {
        reply = auth.scram.serverFinal(body.toString('utf8'));
      }
    } catch {
      reply = null;
    }
    if (reply === null) {
      this.refuse(client, auth.user);
      return false;
    }
    if (auth.step === 'initial') {
      auth.step = 'final';
      client.socket.write(authentication(AUTH_SASL_CONTINUE, Buffer.from(reply)));
      return true;
    }
    clearTimeout(client.authTimer ?? undefined);
    client.authTimer = null;
    client.auth = null;
    client.socket.write(authentication(AUTH_SASL_FINAL, Buffer.from(reply)));
    // PGlite answers the startup message with AuthenticationOk, the parameters and ReadyForQuery.
    this.enqueue(client, [auth.startup]);
    return true;
  }

  /** FATAL 28P01, as PostgreSQL says it, then the connection is closed. */
  private refuse(client: Client, user: string): void {
    client.auth = null;
    client.refused = true;
    client.buffer = Buffer.alloc(0);
    const fields = [['S', 'FATAL'], ['V', 'FATAL'], ['C', '28P01'], ['M', `password authentication failed for user "${user}"`]];
    const body = Buffer.from(`${fields.map(([code, value]) => `${code}${value}\0`).join('')}\0`);
    client.socket.end(Buffer.concat([header('E', body.length), body]), () => client.socket.destroy());
  }

  private enqueue(client: Client, messages: Uint8Array[]): void {
    this.queue.push({ client, messages });
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (;;) {
        const index = this.transactionOwner ? this.queue.findIndex((c) => c.client === this.transactionOwner) : 0;
        if (index < 0 || this.queue.length === 0) return;
        const [cycle] = this.queue.splice(index, 1);
        if (cycle.client.socket.destroyed) continue;
        await this.db.runExclusive(async () => {
          for (const message of cycle.messages) {
            await this.db.execProtocolRawStream(message, {
              onRawData: (data) => {
                if (!cycle.client.socket.destroyed) cycle.client.socket.write(data);
              },
            });
          }
        });
        this.transactionOwner = this.db.isInTransaction() ? cycle.client : null;
      }
    } finally {
      this.draining = false;
    }
  }

  /** A client that goes away mid-transaction must not leave it open for everyone else. */
  private async disconnected(client: Client): Promise<void> {
    this.clients.delete(client);
    clearTimeout(client.authTimer ?? undefined);
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].client === client) this.queue.splice(i, 1);
    if (this.transactionOwner === client) {
      this.transactionOwner = null;
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
    }
    void this.drain();
  }
}

/** A backend message's type byte and length (which counts itself, not the type). */
function header(type: string, bodyLength: number): Buffer {
  const buffer = Buffer.alloc(5);
  buffer.write(type, 0, 'latin1');
  buffer.writeInt32BE(4 + bodyLength, 1);
  return buffer;
}

function authentication(code: number, data: Buffer): Buffer {
  const body = Buffer.alloc(4 + data.length);
  body.writeInt32BE(code, 0);
  data.copy(body, 4);
  return Buffer.concat([header('R', body.length), body]);
}
