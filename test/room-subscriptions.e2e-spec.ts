import { Redis } from 'ioredis';
import { ROOM_UNSUBSCRIBE_DELAY_MS, RoomSubscriberRedis } from 'src/infrastructure/realtime/room-subscriptions';
import { waitFor } from './support/wait';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require('../scripts/services.js') as {
  which(bin: string): string | null;
  startRedis(bin: string): Promise<{ url: string; stop(): void }>;
};

/**
 * The Socket.IO adapter's subscriber connection against a real Redis of its own (so its
 * command counts are this test's alone, in both test shapes): a turn's SSUBSCRIBEs are one
 * command, an emptied room's channel stays subscribed for a while, idle ones go in one
 * command, and what is subscribed does receive.
 */
describe('room subscriptions on the Socket.IO subscriber connection', () => {
  let url: string;
  let redis: { url: string; stop(): void } | null = null;
  let sub: RoomSubscriberRedis;
  let admin: Redis;
  const prefix = `rooms-${process.pid}-${Date.now()}`;
  const channel = (n: number): string => `${prefix}:room-${n}`;

  /** How many SSUBSCRIBE and SUNSUBSCRIBE commands Redis has run since its stats were reset. */
  async function commandCalls(): Promise<{ ssubscribe: number; sunsubscribe: number }> {
    const info = await admin.info('commandstats');
    const calls = (name: string): number => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
    return { ssubscribe: calls('ssubscribe'), sunsubscribe: calls('sunsubscribe') };
  }
  const subscribedInRedis = async (): Promise<string[]> =>
    ((await admin.call('PUBSUB', 'SHARDCHANNELS', `${prefix}:*`)) as string[]).sort();

  beforeAll(async () => {
    const bin = services.which('redis-server');
    if (!bin) throw new Error('redis-server is needed (apt-get install -y redis-server)');
    redis = await services.startRedis(bin);
    url = redis.url;
    admin = new Redis(url);
  });
  beforeEach(async () => {
    sub = new RoomSubscriberRedis(url, { maxRetriesPerRequest: null });
    await sub.ping();
  });
  afterEach(() => sub.disconnect());
  afterAll(async () => {
    await admin?.quit();
    redis?.stop();
  });

  it('subscribes the rooms joined in one turn with one command, and the barrier waits for it', async () => {
    const before = await commandCalls();
    for (let n = 0; n < 51; n++) void sub.ssubscribe(channel(n));
    await sub.ping();
    expect((await commandCalls()).ssubscribe - before.ssubscribe).toBe(1);
    expect(await subscribedInRedis()).toEqual(Array.from({ length: 51 }, (_, n) => channel(n)).sort());
    expect(sub.channelCounts).toEqual({ subscribed: 51, pending: 0 });
  });

  it('keeps an emptied room subscribed; joining it again sends nothing; idle ones go in one command', async () => {
    await Promise.all([sub.ssubscribe(channel(1)), sub.ssubscribe(channel(2)), sub.ssubscribe(channel(3))]);
    await sub.ping();
    void sub.sunsubscribe(channel(1));
    void sub.sunsubscribe(channel(2));
    void sub.sunsubscribe(channel(3));
    await sub.ping();
    expect(await subscribedInRedis()).toEqual([channel(1), channel(2), channel(3)]);
    // Room 3 is joined again before the delay: it stays, with no new SSUBSCRIBE.
    void sub.ssubscribe(channel(3));
    await sub.ping();
    expect(sub.channelCounts).toEqual({ subscribed: 3, pending: 0 });
    const before = await commandCalls();
    // Not yet idle long enough: nothing goes.
    sub.unsubscribeIdle(Date.now() - ROOM_UNSUBSCRIBE_DELAY_MS);
    await sub.ping();
    expect(await subscribedInRedis()).toEqual([channel(1), channel(2), channel(3)]);
    // Past the delay: rooms 1 and 2 go, room 3 (joined again) stays.
    sub.unsubscribeIdle(Date.now());
    await sub.ping();
    expect(await subscribedInRedis()).toEqual([channel(3)]);
    expect(sub.channelCounts).toEqual({ subscribed: 1, pending: 0 });
    expect(await commandCalls()).toEqual({ ssubscribe: before.ssubscribe, sunsubscribe: before.sunsubscribe + 1 });
  });

  it('a room joined and left within one turn is never subscribed', async () => {
    void sub.ssubscribe(channel(7));
    void sub.sunsubscribe(channel(7));
    await sub.ping();
    expect(await subscribedInRedis()).toEqual([]);
    expect(sub.channelCounts).toEqual({ subscribed: 0, pending: 0 });
  });

  it('what is subscribed receives what is published to it', async () => {
    const received: string[] = [];
    sub.on('smessage', (from: string, message: string) => received.push(`${from}=${message}`));
    void sub.ssubscribe(channel(4));
    void sub.ssubscribe(channel(5));
    await sub.ping();
    await admin.spublish(channel(5), 'hello');
    await waitFor(async () => received.length > 0 || undefined, 'the message');
    expect(received).toEqual([`${channel(5)}=hello`]);
  });
});
