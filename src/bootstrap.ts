import { RequestMethod, Type } from '@nestjs/common';
import fastifyMultipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BEARER_SCHEME, TOKEN_SCHEME } from 'src/common/access/access.decorators';
import { createValidationPipe } from 'src/common/validation/validation.pipe';
import { AppConfig } from 'src/config/app-config';
import { RequestMetricsService } from 'src/infrastructure/metrics/request-metrics.service';
import { RedisIoAdapter } from 'src/infrastructure/realtime/redis-io.adapter';
import { AppModule } from './app.module';

export const API_PREFIX = 'api/v1';
const ROOT_ROUTES = ['health', 'status', 'metrics', 'metrics/prometheus'];

/** A client may pass its own X-Request-Id (for tracing across services) if it looks like an id. */
function requestIdFor(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  const id = typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
  // pino-http reads req.id, so the access log and the error envelope carry the same id.
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}

/**
 * Builds the HTTP application with every convention applied (prefix, validation,
 * envelope, errors, request ids, metrics, docs). Used by main.ts, the tests and the
 * OpenAPI script, so all three see the same app.
 */
export async function createApp(config: AppConfig, options: { extraModules?: Type[] } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    genReqId: requestIdFor,
    // Fastify's own request log is replaced by the structured pino-http line.
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, 'api', options.extraModules), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.enableCors({ origin: config.http.corsOrigins === '*' ? true : config.http.corsOrigins, exposedHeaders: ['X-Request-Id', 'Retry-After'] });
  app.setGlobalPrefix(API_PREFIX, { exclude: ROOT_ROUTES.map((path) => ({ path, method: RequestMethod.GET })) });
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(config.redis ? await RedisIoAdapter.connect(app, config.redis.url, config.redis.prefix, config.http.workers > 1) : new IoAdapter(app));
  await app.register(fastifyMultipart, { limits: { fileSize: config.chat.attachmentMaxBytes, files: 1, fields: 5 } });

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(RequestMetricsService);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.record(request.method, route, reply.statusCode, reply.elapsedTime);
  });

  setupOpenApi(app, buildOpenApiDocument(app, config));
  return app;
}

export function buildOpenApiDocument(app: NestFastifyApplication, config: AppConfig): OpenAPIObject {
  const document = new DocumentBuilder()
    .setTitle('Haven API')
    .setDescription(
      'Backend for mental-health support apps: accounts, chat, sessions, mood, goals, alarms and more.\n\n' +
        'Every `/api/v1` response is an envelope: `{success: true, data, message?, pagination?}` or ' +
        '`{success: false, errors, message, code, request_id}`. JSON is snake_case; ids are UUIDs; times are ISO 8601 UTC.',
    )
    .setVersion(config.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from /api/v1/auth/login.' }, BEARER_SCHEME)
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Personal API token: `Authorization: Token <token>`.' },
      TOKEN_SCHEME,
    )
    .build();
  const result = SwaggerModule.createDocument(app, document, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  // Any operation can fail on our side; say so once here rather than on every route.
  for (const item of Object.values(result.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation) {
        operation.responses['500'] ??= {
          description: 'Unexpected server error; the body carries the request id, never details.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
        };
      }
    }
  }
  return result;
}

// ReDoc renders the same JSON document; its script comes from the public CDN.
const REDOC_PAGE = `<!DOCTYPE html>
<html><head><title>Haven API – ReDoc</title><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/api/docs-json"></redoc>
<script src="https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"></script></body></html>`;

function setupOpenApi(app: NestFastifyApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/api/redoc', (_request, reply) => {
      void reply.type('text/html; charset=utf-8').send(REDOC_PAGE);
    });
}
