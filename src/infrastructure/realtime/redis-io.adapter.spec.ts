import type { INestApplicationContext } from '@nestjs/common';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ConfigValidationError } from 'src/config/environment';
import { RedisIoAdapter } from './redis-io.adapter';

/** A stand-in Redis that reports `version` in INFO and says +OK to everything else (enough for a client's handshake). */
async function fakeRedis(version: string): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    // A client that quits while its pipeline is still arriving: nothing is written after QUIT's answer.
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      for (const command of chunk.toString().split('*').slice(1)) {
        if (socket.writableEnded || socket.destroyed) return;
        const name = command.split('\r\n')[2]?.toUpperCase();
        if (name === 'INFO') {
          const info = `# Server\r\nredis_version:${version}\r\nredis_mode:standalone\r\n# Persistence\r\nloading:0\r\n`;
          socket.write(`$${Buffer.byteLength(info)}\r\n${info}\r\n`);
        } else if (name === 'QUIT') {
          socket.end('+OK\r\n');
        } else {
          socket.write('+OK\r\n');
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('RedisIoAdapter.connect', () => {
  const app = {} as INestApplicationContext;
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a Redis older than 7 (no sharded pub/sub), naming REDIS_URL and the version', async () => {
    const redis = await fakeRedis('6.2.14');
    servers.push(redis.server);
    const refused = RedisIoAdapter.connect(app, redis.url, 'test');
    await expect(refused).rejects.toThrow(ConfigValidationError);
    await expect(refused).rejects.toThrow(/REDIS_URL: Redis 7\.0 or newer is needed .*this server is 6\.2\.14/);
  });

  it('accepts Redis 7', async () => {
    const redis = await fakeRedis('7.2.4');
    servers.push(redis.server);
    const adapter = await RedisIoAdapter.connect(app, redis.url, 'test');
    expect(adapter).toBeInstanceOf(RedisIoAdapter);
    const clients = adapter as unknown as Record<'pub' | 'sub', { quit(): Promise<unknown> }>;
    await Promise.all([clients.pub.quit(), clients.sub.quit()]);
  });
});
