import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from 'src/config/app-config';

/**
 * The shared Redis connection (null without REDIS_URL). BullMQ opens its own
 * connections; this one serves rate limits, health checks and the Socket.IO adapter.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  readonly client: Redis | null;
  readonly prefix: string;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.prefix = config.redis?.prefix ?? 'haven';
    this.client = config.redis
      ? new Redis(config.redis.url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false })
      : null;
    this.client?.on('error', (error: Error) => this.logger.warn(`redis error: ${error.message}`));
  }

  /** 'healthy', 'unhealthy' or 'not configured'. */
  async health(): Promise<'healthy' | 'unhealthy' | 'not configured'> {
    if (!this.client) return 'not configured';
    try {
      const pong = await Promise.race([
        this.client.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref()),
      ]);
      return pong === 'PONG' ? 'healthy' : 'unhealthy';
    } catch {
      return 'unhealthy';
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => undefined);
  }
}

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
