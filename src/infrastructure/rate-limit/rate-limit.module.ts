import { ExecutionContext, Module } from '@nestjs/common';
import { Principal } from 'src/common/access/principal';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig, RateLimitTier } from 'src/config/app-config';
import { RedisConnection } from 'src/infrastructure/redis/redis.module';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** The caller's limit: premium accounts get the multiplied one (the principal carries the plan's rate tier). */
function limitFor(context: ExecutionContext, limit: number, premiumMultiplier: number): number {
  const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  return principal?.rateTier === 'premium' ? limit * premiumMultiplier : limit;
}

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
          limit: name === 'auth' ? limit : (context: ExecutionContext) => limitFor(context, limit, config.rateLimit.premiumMultiplier),
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
