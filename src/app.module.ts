import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AccessGuard } from 'src/common/access/access.guard';
import { BodylessRouteGuard } from 'src/common/validation/bodyless-route.guard';
import { HttpExceptionFilter } from 'src/common/errors/http-exception.filter';
import { AppConfig } from 'src/config/app-config';
import { ConfigModule } from 'src/config/config.module';
import { CryptoModule } from 'src/infrastructure/crypto/crypto.module';
import { DatabaseModule } from 'src/infrastructure/database/database.module';
import { LoggingModule } from 'src/infrastructure/logging/logging.module';
import { MailModule } from 'src/infrastructure/mail/mail.module';
import { MetricsModule } from 'src/infrastructure/metrics/metrics.module';
import { QueueModule } from 'src/infrastructure/queue/queue.module';
import { RateLimitModule } from 'src/infrastructure/rate-limit/rate-limit.module';
import { TierThrottlerGuard } from 'src/infrastructure/rate-limit/tier-throttler.guard';
import { RealtimeModule } from 'src/infrastructure/realtime/realtime.module';
import { RedisModule } from 'src/infrastructure/redis/redis.module';
import { FEATURE_MODULES } from 'src/modules';

/** What a process is for: serving HTTP, running jobs, or a one-off command. */
export type ProcessRole = 'api' | 'worker' | 'cli';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, role: ProcessRole, extraModules: Type[] = []): DynamicModule {
    const runsJobs = role === 'worker' || (role === 'api' && config.jobs.runInApi);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        CryptoModule,
        RedisModule,
        QueueModule.forRoot({ runsJobs }),
        MailModule,
        MetricsModule,
        RateLimitModule,
        RealtimeModule,
        ...FEATURE_MODULES,
        ...extraModules,
      ],
      providers: [
        // Order matters: authenticate first, so rate limits count per user.
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: TierThrottlerGuard },
        // Then a body sent to a route that takes none is refused, before anything runs.
        { provide: APP_GUARD, useClass: BodylessRouteGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
