import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server, type ServerOptions } from 'socket.io';
import { ConfigValidationError } from 'src/config/environment';
import { RoomSubscriberRedis } from './room-subscriptions';

/** Per server: resolves once the room subscriptions asked for so far are active in Redis. */
const subscriptionBarriers = new WeakMap<Server, () => Promise<unknown>>();

/** True when the server's emits go through Redis to other API nodes. */
export const isClustered = (server: Server): boolean => subscriptionBarriers.has(server);

/**
 * Resolves once every room channel this node subscribed to so far is active: Redis answers
 * one connection's commands in order, so a PING sent behind the SSUBSCRIBEs is answered
 * after them. At once without Redis.
 */
export async function roomSubscriptionsActive(server: Server): Promise<void> {
  await subscriptionBarriers.get(server)?.();
}

/** Sharded pub/sub (SPUBLISH / SSUBSCRIBE) came with Redis 7.0. */
const MIN_REDIS_MAJOR = 7;
const VERSION_CHECK_MS = 5000;

/**
 * Socket.IO over Redis: an emit on one API node reaches sockets on every node. Sharded
 * pub/sub (Redis 7+) with a channel per room: a node hears only the rooms its own sockets
 * are in, instead of decoding every emit of every node (a chat send's echo to its sender
 * node, a notification to a user who is offline everywhere). A node subscribes to a
 * room's channel when its first socket joins the room; `roomSubscriptionsActive` tells
 * when that has taken effect, so joins can finish before anyone relies on them.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly log = new Logger('Realtime');

  private constructor(
    app: INestApplicationContext,
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly prefix: string,
    /** Several API processes on one port: long-polling requests of one session could reach different processes. */
    private readonly websocketOnly: boolean,
  ) {
    super(app);
  }

  /** Connects to Redis and refuses, naming REDIS_URL, a server too old for sharded pub/sub. */
  static async connect(app: INestApplicationContext, redisUrl: string, prefix: string, websocketOnly = false): Promise<RedisIoAdapter> {
    // Auto-pipelining: the publishes of one event-loop turn (a batch of chat sends) go out in one write.
    const pub = new Redis(redisUrl, { maxRetriesPerRequest: null, enableAutoPipelining: true });
    // Its room subscriptions batched, and kept a while after a room empties (room-subscriptions.ts).
    const sub = new RoomSubscriberRedis(redisUrl, { maxRetriesPerRequest: null, enableAutoPipelining: false });
    const adapter = new RedisIoAdapter(app, pub, sub, prefix, websocketOnly);
    for (const client of [pub, sub]) client.on('error', (e: Error) => adapter.log.warn(`redis error: ${e.message}`));
    // A Redis that is down at start must not keep the API from serving: check if it answers soon.
    const info = await Promise.race([pub.info('server'), new Promise<null>((resolve) => setTimeout(resolve, VERSION_CHECK_MS, null).unref())]);
    if (info === null) {
      adapter.log.warn(`Redis did not answer within ${VERSION_CHECK_MS / 1000} s; its version (${MIN_REDIS_MAJOR}.0+ needed) is not checked`);
      return adapter;
    }
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    if (!(Number(version.split('.')[0]) >= MIN_REDIS_MAJOR)) {
      await Promise.all([pub.quit(), sub.quit()]).catch(() => undefined);
      throw new ConfigValidationError([`REDIS_URL: Redis ${MIN_REDIS_MAJOR}.0 or newer is needed (sharded pub/sub for Socket.IO); this server is ${version}`]);
    }
    return adapter;
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    return this.clustered(super.createIOServer(port, this.websocketOnly ? ({ ...options, transports: ['websocket'] } as ServerOptions) : options));
  }

  /**
   * A Socket.IO server without HTTP on the same Redis channels, for a job worker: what its
   * jobs publish (alarm deliveries, reminders) reaches the sockets on the API nodes.
   */
  createHeadlessServer(): Server {
    return this.clustered(new Server());
  }

  private clustered(server: Server): Server {
    server.adapter(createShardedAdapter(this.pub, this.sub, { channelPrefix: `${this.prefix}:socket.io`, subscriptionMode: 'dynamic' }));
    subscriptionBarriers.set(server, () => this.sub.ping());
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    for (const client of [this.pub, this.sub]) await client.quit().catch(() => undefined);
  }
}
