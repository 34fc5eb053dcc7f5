import { RequestMethod, Type } from '@nestjs/common';
import fastifyMultipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EnvelopingFastifyAdapter } from 'src/common/http/enveloping-fastify-adapter';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { errorCodes } from 'fastify';
import type { IncomingMessage, Server } from 'node:http';
import type { Logger as PinoRoot } from 'pino';
import { buildOpenApiDocument, setupOpenApi } from 'src/common/http/openapi';
import { createValidationPipe } from 'src/common/validation/validation.pipe';
import { AppConfig } from 'src/config/app-config';
import { registerRequestLog } from 'src/infrastructure/logging/request-log';
import { ROOT_LOGGER } from 'src/infrastructure/logging/root-logger';
import { RequestMetricsService } from 'src/infrastructure/metrics/request-metrics.service';
import { RATE_LIMIT_HEADERS, RETRY_AFTER_HEADER } from 'src/infrastructure/rate-limit/rate-limit-headers';
import { RedisIoAdapter } from 'src/infrastructure/realtime/redis-io.adapter';
import { AppModule } from './app.module';

export const API_PREFIX = 'api/v1';
const ROOT_ROUTES = ['health', 'status', 'metrics', 'metrics/prometheus'];

/** A client may pass its own X-Request-Id (for tracing across services) if it looks like an id. */
function requestIdFor(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
}

/** Every method a route of the API uses, for browsers' CORS preflights. */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** Answer headers a browser app may read. */
export const CORS_EXPOSED_HEADERS = ['X-Request-Id', RETRY_AFTER_HEADER, ...Object.values(RATE_LIMIT_HEADERS)];

/**
 * Body parsers, registered with Nest before it adds its defaults. JSON: many fetch
 * wrappers send `Content-Type: application/json` on every request, also with no body
 * (`POST /notifications/read-all`, DELETEs), so an empty body is no body, not malformed
 * JSON; anything else goes to Fastify's own parser (`__proto__` refused there,
 * `constructor` keys by the input guard, which names the field). Form bodies are not
 * accepted anywhere: 415, like any other non-JSON type.
 */
function registerBodyParsers(app: NestFastifyApplication, bodyLimit: number): void {
  const parseJson = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'ignore');
  app.useBodyParser<Server>('application/json', { bodyLimit }, (request, body, done) => {
    const text = body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
  // Fastify parses text/plain by default; without a parser it is a 415 like any other type.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (_request, _body, done) => {
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('application/x-www-form-urlencoded'), undefined);
  });
}

/**
 * Builds the HTTP application with every convention applied (prefix, validation,
 * envelope, errors, request ids, metrics, docs). Used by main.ts, the tests and the
 * OpenAPI script, so all three see the same app.
 */
export async function createApp(config: AppConfig, options: { extraModules?: Type[] } = {}): Promise<NestFastifyApplication> {
  const adapter = new EnvelopingFastifyAdapter(
    {
      bodyLimit: config.http.bodyLimitBytes,
      trustProxy: config.http.trustProxy,
      genReqId: requestIdFor,
      // Fastify's own request log is replaced by Haven's (logging/request-log.ts).
      logger: false,
      // HumanLink documents every path with a trailing slash (`/api/v1/users/me/`); both forms answer.
      routerOptions: { ignoreTrailingSlash: true },
    },
    config.http.publicUrl,
  );
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, 'api', options.extraModules), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.enableCors({
    origin: config.http.corsOrigins === '*' ? true : config.http.corsOrigins,
    methods: CORS_METHODS,
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: ROOT_ROUTES.map((path) => ({ path, method: RequestMethod.GET })) });
  app.useGlobalPipes(createValidationPipe());
  registerBodyParsers(app, config.http.bodyLimitBytes);
  app.useWebSocketAdapter(config.redis ? await RedisIoAdapter.connect(app, config.redis.url, config.redis.prefix, config.http.workers > 1) : new IoAdapter(app));
  await app.register(fastifyMultipart, { limits: { fileSize: config.chat.attachmentMaxBytes, files: 1, fields: 5 } });

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(RequestMetricsService);
  registerRequestLog(fastify, app.get<PinoRoot>(ROOT_LOGGER), { requestIds: config.logRequestIds }, (request, reply) =>
    metrics.record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime),
  );

  setupOpenApi(app, buildOpenApiDocument(app, config));
  return app;
}
