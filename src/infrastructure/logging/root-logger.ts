import { Global, Module } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { AppConfig } from 'src/config/app-config';
import { demoteFrameworkChatter } from './framework-chatter';
import { prettyDestination, wantsPrettyLogs } from './pretty-destination';
import { serializeError } from './safe-error';

/** The process's root pino logger (the request log and nestjs-pino's Logger write through it). */
export const ROOT_LOGGER = Symbol('haven:root-logger');

/** Credentials and cookies never reach the logs (nothing logs headers; this is the backstop); bodies are never logged at all. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

function createRootLogger(config: AppConfig): Logger {
  const options = {
    level: config.logLevel,
    hooks: { logMethod: demoteFrameworkChatter },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Database errors lose their parameters and quoted values (see safe-error.ts).
    serializers: { err: serializeError, error: serializeError },
  };
  // Redaction and serializers run before the destination, so pretty output holds no more than the JSON.
  return wantsPrettyLogs(config.env, process.stdout.isTTY) ? pino(options, prettyDestination()) : pino(options);
}

@Global()
@Module({
  providers: [{ provide: ROOT_LOGGER, inject: [AppConfig], useFactory: createRootLogger }],
  exports: [ROOT_LOGGER],
})
export class RootLoggerModule {}
