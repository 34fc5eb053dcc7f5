import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Socket.IO over Redis: an emit on one API node reaches sockets on every node. Sharded
 * pub/sub (Redis 7+) with a channel per room: a node hears only the rooms its own sockets
 * are in, instead of decoding every emit of every node (a chat send's echo to its sender
 * node, a notification to a user who is offline everywhere).
 */
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
    server.adapter(createShardedAdapter(this.pub, this.sub, { channelPrefix: `${this.prefix}:socket.io`, subscriptionMode: 'dynamic' }));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    for (const client of [this.pub, this.sub]) await client?.quit().catch(() => undefined);
  }
}
