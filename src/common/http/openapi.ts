import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME, TOKEN_SCHEME } from 'src/common/access/access.decorators';
import { AppConfig } from 'src/config/app-config';

/** The OpenAPI document of the app (served at /api/docs-json, committed as openapi/openapi.json) and the pages that render it. */
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

export function setupOpenApi(app: NestFastifyApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/api/redoc', (_request, reply) => {
      void reply.type('text/html; charset=utf-8').send(REDOC_PAGE);
    });
}
