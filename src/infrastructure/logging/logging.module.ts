import { Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from 'src/config/app-config';
import { demoteFrameworkChatter } from './framework-chatter';
import { prettyDestination, wantsPrettyLogs } from './pretty-destination';
import { serializeError } from './safe-error';
import { ShutdownLog } from './shutdown-log';

/** Credentials and cookies never reach the logs; bodies are never logged at all. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/**
 * Structured JSON logs (pino), one line per request with the request id, method,
 * route, status and time. Everything logged through Nest's Logger lands here too,
 * tagged with the request id of the request being served. Nest's own start-up lines
 * are debug, not info (framework-chatter.ts); a terminal outside production gets the
 * same records prettified (pretty-destination.ts).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      // nestjs-pino 4 (Node 20 supported; 5 needs Node 22) types these as required with Nest 12's ModuleMetadata.
      imports: [],
      providers: [],
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const options = {
          level: config.logLevel,
          hooks: { logMethod: demoteFrameworkChatter },
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // The same id as the X-Request-Id header and the error envelope (see bootstrap.ts).
          customProps: (req: IncomingMessage & { id?: unknown }) => ({ request_id: req.id }),
          // Probes would drown everything else. (Middleware sees the path in originalUrl.)
          autoLogging: {
            ignore: (req: IncomingMessage & { originalUrl?: string }) => /^\/(health|status)(\?|$)/.test(req.originalUrl ?? req.url ?? ''),
          },
          serializers: {
            req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
              method: req.method,
              url: req.url?.split('?')[0],
              user_agent: req.headers?.['user-agent'],
              remote_address: req.remoteAddress,
            }),
            res: (res: { statusCode: number }) => ({ status: res.statusCode }),
            // Database errors lose their parameters and quoted values (see safe-error.ts).
            err: serializeError,
            error: serializeError,
          },
        };
        // Redaction and serializers run before the destination, so pretty output holds no more than the JSON.
        return {
          pinoHttp: wantsPrettyLogs(config.env, process.stdout.isTTY) ? [options, prettyDestination()] : options,
          // Every route, in the path syntax of Nest 11+ (nestjs-pino 4's default `*` makes Nest warn at start).
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        };
      },
    }),
  ],
  providers: [ShutdownLog],
})
export class LoggingModule {}
