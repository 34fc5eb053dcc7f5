import { type Callback, Redis, type RedisOptions } from 'ioredis';

type ChannelArgs = Array<string | Buffer | Callback<unknown> | undefined>;

/** The channel names among a command's arguments (a trailing callback is not used here). */
const channelsOf = (args: ChannelArgs): string[] => args.filter((a): a is string | Buffer => typeof a === 'string' || Buffer.isBuffer(a)).map(String);

/** How long a room channel stays subscribed after its last socket on this node left. */
export const ROOM_UNSUBSCRIBE_DELAY_MS = 60_000;

/**
 * The Redis connection the sharded Socket.IO adapter subscribes on, with its room
 * subscriptions made cheaper:
 *
 * - the SSUBSCRIBEs of one event-loop turn go out as one command (a user with 50 chats
 *   connecting joins 51 rooms: measured, one write per room was a third of the handshake's
 *   CPU). A standalone Redis takes channels of any slots in one command; a Redis Cluster
 *   would refuse it, and Haven does not support one (REDIS_URL names one server);
 * - a room channel whose last socket on this node left stays subscribed for
 *   ROOM_UNSUBSCRIBE_DELAY_MS, then goes with the others in one SUNSUBSCRIBE: a client that
 *   reconnects (phones do, often) joins its rooms again without a round of subscriptions.
 *   Meanwhile the adapter has dropped the room's handler, so what arrives is ignored.
 *
 * `ping()` sends what is pending first, so the adapter's barrier (a PING behind the
 * SSUBSCRIBEs, answered after them) still tells when the joins have taken effect.
 */
export class RoomSubscriberRedis extends Redis {
  /** Channels subscribed in Redis (sent), with when their room emptied here, if it did. */
  private readonly subscribed = new Map<string, number | null>();
  private readonly pending = new Set<string>();
  private flushQueued = false;
  private readonly sweep: NodeJS.Timeout;

  constructor(url: string, options: RedisOptions) {
    super(url, options);
    this.sweep = setInterval(() => this.unsubscribeIdle(Date.now() - ROOM_UNSUBSCRIBE_DELAY_MS), ROOM_UNSUBSCRIBE_DELAY_MS / 2);
    this.sweep.unref();
    this.once('end', () => clearInterval(this.sweep));
  }

  // The adapter passes one channel per call (its SSUBSCRIBE helper); several are taken too.
  override ssubscribe(...args: ChannelArgs): Promise<unknown> {
    for (const channel of channelsOf(args)) {
      if (this.subscribed.has(channel)) this.subscribed.set(channel, null);
      else this.pending.add(channel);
    }
    if (!this.flushQueued && this.pending.size > 0) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
    return Promise.resolve(this.subscribed.size);
  }

  override sunsubscribe(...args: ChannelArgs): Promise<unknown> {
    const now = Date.now();
    for (const channel of channelsOf(args)) {
      // Never sent: nothing to undo in Redis.
      if (this.pending.delete(channel)) continue;
      if (this.subscribed.has(channel)) this.subscribed.set(channel, now);
    }
    return Promise.resolve(this.subscribed.size);
  }

  override ping(): Promise<'PONG'> {
    this.flush();
    return super.ping();
  }

  /** Channels subscribed in Redis right now, and those waiting to be. */
  get channelCounts(): { subscribed: number; pending: number } {
    return { subscribed: this.subscribed.size, pending: this.pending.size };
  }

  /** Unsubscribes, in one command, the channels whose room has been empty here since `before` (ms) or longer. */
  unsubscribeIdle(before: number): void {
    const idle = [...this.subscribed].filter(([, emptiedAt]) => emptiedAt !== null && emptiedAt <= before).map(([channel]) => channel);
    if (idle.length === 0) return;
    for (const channel of idle) this.subscribed.delete(channel);
    void super.sunsubscribe(...idle).catch(() => undefined);
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.pending.size === 0) return;
    const channels = [...this.pending];
    this.pending.clear();
    for (const channel of channels) this.subscribed.set(channel, null);
    // Not subscribed after all (the connection failed): the next join of the room sends it again.
    void super.ssubscribe(...channels).catch(() => {
      for (const channel of channels) this.subscribed.delete(channel);
    });
  }
}
