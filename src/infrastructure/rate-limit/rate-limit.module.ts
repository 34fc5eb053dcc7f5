import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig, RateLimitTier } from 'src/config/app-config';
import { RedisConnection } from 'src/infrastructure/redis/redis.module';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * Rate limits per DESIGN: general, auth and chat tiers, in Redis when configured. The
 * guard (TierThrottlerGuard) is registered by the app module, after authentication.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, RedisConnection],
      useFactory: (config: AppConfig, redis: RedisConnection) => ({
        throttlers: (Object.entries(config.rateLimit.limits) as Array<[RateLimitTier, number]>).map(([name, limit]) => ({
          name,
          limit,
          ttl: config.rateLimit.windowMs,
        })),
        storage: redis.client ? new RedisThrottlerStorage(redis.client, redis.prefix) : undefined,
        setHeaders: false,
        skipIf: () => !config.rateLimit.enabled,
      }),
    }),
  ],
})
export class RateLimitModule {}
