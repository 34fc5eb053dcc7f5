import type { PGlite } from '@electric-sql/pglite';
import { createServer, Server, Socket } from 'node:net';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
// A client's request cycle ends with Sync (extended protocol), Query (simple), Flush or Terminate.
const CYCLE_END = new Set(['S', 'Q', 'H']);

interface Client {
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  pending: Uint8Array[];
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
 */
export class PgliteWireServer {
  private server: Server | null = null;
  private readonly clients = new Set<Client>();
  private readonly queue: Cycle[] = [];
  private transactionOwner: Client | null = null;
  private draining = false;

  constructor(
    private readonly db: PGlite,
    private readonly maxConnections: number,
  ) {}

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
    const client: Client = { socket, buffer: Buffer.alloc(0), started: false, pending: [] };
    this.clients.add(client);
    socket.on('data', (data: Buffer) => {
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
        const code = buffer.readInt32BE(4);
        if (buffer.length < length) return;
        client.buffer = buffer.subarray(length);
        if (code === SSL_REQUEST) {
          client.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) continue;
        client.started = true;
        this.enqueue(client, [new Uint8Array(buffer.subarray(0, length))]);
        continue;
      }
      if (buffer.length < 5) return;
      const total = 1 + buffer.readInt32BE(1);
      if (buffer.length < total) return;
      const type = String.fromCharCode(buffer[0]);
      const message = new Uint8Array(buffer.subarray(0, total));
      client.buffer = buffer.subarray(total);
      if (type === 'X') {
        client.socket.end();
        return;
      }
      client.pending.push(message);
      if (CYCLE_END.has(type)) {
        this.enqueue(client, client.pending);
        client.pending = [];
      }
    }
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
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].client === client) this.queue.splice(i, 1);
    if (this.transactionOwner === client) {
      this.transactionOwner = null;
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
    }
    void this.drain();
  }
}
