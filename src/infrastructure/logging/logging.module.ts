import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ROOT_LOGGER, RootLoggerModule } from './root-logger';
import { ShutdownLog } from './shutdown-log';

/**
 * Structured JSON logs (pino): one line per request (request-log.ts, hooked into Fastify
 * by bootstrap.ts) with the request id, method, route, status and time. Everything logged
 * through Nest's Logger lands here too; with LOG_REQUEST_IDS, tagged with the request id
 * of the request being served. Nest's own start-up lines are debug, not info
 * (framework-chatter.ts); a terminal outside production gets the same records prettified
 * (pretty-destination.ts).
 */
@Module({
  imports: [
    RootLoggerModule,
    LoggerModule.forRootAsync({
      // nestjs-pino 4 (Node 20 supported; 5 needs Node 22) types these as required with Nest 12's ModuleMetadata.
      imports: [RootLoggerModule],
      providers: [],
      inject: [ROOT_LOGGER],
      // Its Logger writes through the root logger, and through the request's scope (LOG_REQUEST_IDS) while one is served.
      // No middleware of its own (no routes): the request hooks open that scope.
      useFactory: (root: Logger) => ({ pinoHttp: { logger: root }, useExisting: true, forRoutes: [] }),
    }),
  ],
  providers: [ShutdownLog],
})
export class LoggingModule {}
