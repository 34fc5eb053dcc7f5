import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

/** Socket.IO over the Redis adapter: an emit on one API node reaches sockets on every node. */
export class RedisIoAdapter extends IoAdapter {
  private readonly log = new Logger('Realtime');
  private pub: Redis | null = null;
  private sub: Redis | null = null;

  constructor(
    app: INestApplicationContext,
    private readonly redisUrl: string,
    private readonly prefix: string,
    /** Several API processes on one port: long-polling requests of one session could reach different processes. */
    private readonly websocketOnly = false,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, this.websocketOnly ? ({ ...options, transports: ['websocket'] } as ServerOptions) : options);
    // Auto-pipelining: the publishes of one event-loop turn (a batch of chat sends) go out in one write.
    this.pub = new Redis(this.redisUrl, { maxRetriesPerRequest: null, enableAutoPipelining: true });
    this.sub = this.pub.duplicate({ enableAutoPipelining: false });
    for (const client of [this.pub, this.sub]) client.on('error', (e: Error) => this.log.warn(`redis error: ${e.message}`));
    server.adapter(createAdapter(this.pub, this.sub, { key: `${this.prefix}:socket.io` }));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    for (const client of [this.pub, this.sub]) await client?.quit().catch(() => undefined);
  }
}
