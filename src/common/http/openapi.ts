import { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, ServerObject, SwaggerModule } from '@nestjs/swagger';
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ACCESS_KEY, AccessRule, BEARER_SCHEME, TOKEN_SCHEME } from 'src/common/access/access.decorators';
import { isProvider, Permission, Role, ROLE_PERMISSIONS } from 'src/common/access/permissions';
import { ErrorCodes } from 'src/common/errors/error-codes';
import { AppConfig, RateLimitTier } from 'src/config/app-config';
import { RATE_LIMIT_HEADERS, RETRY_AFTER_HEADER } from 'src/infrastructure/rate-limit/rate-limit-headers';
import { RATE_TIER } from 'src/infrastructure/rate-limit/rate-tier.decorator';
import { applyErrorDocs, DATE_TIME_LENGTH, UUID_LENGTH } from './api-responses';

/** Security scheme of `/metrics/prometheus`: the deployment's METRICS_TOKEN, not a user credential. */
export const METRICS_SCHEME = 'metrics_token';

/** Tags in a reader's order: signing in first, then the features, then staff tools and operations. */
const TAGS = [
  { name: 'auth', description: 'Sign up, sign in (with optional TOTP 2FA), refresh and end sessions, personal API tokens.' },
  { name: 'users', description: 'Your own account (profile, email, password, deletion) and other users’ public profiles.' },
  {
    name: 'chats',
    description:
      'Direct, group and support chats: messages (cursor pagination), receipts, reactions, attachments and room settings. ' +
      'Everything here is also pushed over Socket.IO (see openapi/asyncapi.yaml).',
  },
  { name: 'groups', description: 'Support groups: browse, create, join and leave, members. Group messages use the chat endpoints.' },
  { name: 'notifications', description: 'Your notifications, unread counts and read marks.' },
  { name: 'support', description: 'The support chat between each user and the staff.' },
  { name: 'mood', description: 'Your mood log: entries, history, analytics (counts, streaks, weekly intensity) and CSV export.' },
  { name: 'goals', description: 'Your goals and their progress entries, and your profile stats.' },
  { name: 'screeners', description: 'PHQ-9 and GAD-7 questionnaires: scores, severity bands and history.' },
  {
    name: 'care-team',
    description: 'Sharing your mood log, goals, screeners or alarms with a therapist you chat with, and what they may read (under /clients/{client_id}/…).',
  },
  { name: 'ptsd', description: 'The PTSD app: your profile, emergency contacts, therapist contact, calming music and alarm scenarios.' },
  { name: 'alarms', description: 'Raise an alarm, follow its deliveries to your contacts and therapist, resolve it; the public acknowledgement page.' },
  {
    name: 'providers',
    description: 'Therapists and friends: their public profiles, the directory with filters, weekly availability, time off and free slots.',
  },
  {
    name: 'sessions',
    description: 'Booked sessions with a provider (HumanLink sessions and SafeTalk appointments): book, reschedule, cancel, complete; join links.',
  },
  { name: 'feedback', description: 'Feedback on completed sessions: clients leave it; providers read their own; staff read all.' },
  {
    name: 'matches',
    description: 'Matches between clients and providers with a compatibility score and reasons (computed in the background), and suggestions.',
  },
  { name: 'payments', description: 'Plans, subscriptions and payments (the built-in sandbox provider or Stripe), and the Stripe webhook.' },
  { name: 'events', description: 'Group events: browse, book a ticket (or join the waitlist), cancel; hosts manage events and see attendees.' },
  {
    name: 'safety',
    description: 'Crisis-language detection (English and Russian): assess a text statelessly; nothing is stored or logged. Crisis helplines by country.',
  },
  {
    name: 'tickets',
    description: 'Support tickets: open one (from your support chat too), follow its thread; staff triage them on the /admin/tickets dashboard with internal notes.',
  },
  { name: 'safety-plans', description: 'Safety plans (Stanley–Brown): written by a client and their therapist together, encrypted and versioned.' },
  {
    name: 'risk-flags',
    description: 'Risk flags raised by crisis language or screener answers: your own open flag and its crisis support; the staff triage queue (acknowledge, notes, resolve).',
  },
  { name: 'companion', description: 'The AI companion: conversations, messages and replies (an OpenAI-compatible model or the built-in offline responder).' },
  { name: 'privacy', description: 'Your data: ask for an archive of everything Haven holds about you and download it through a single-use link. (Erasure: DELETE /api/v1/users/me.)' },
  {
    name: 'admin',
    description: 'Staff tools: accounts and provider verification, failed background jobs, the security audit log, catalogues (music, alarm scenarios), alarms and safety signals.',
  },
  { name: 'health', description: 'Liveness, readiness and metrics for operators: at the root (not under /api/v1) and without the envelope.' },
];

/** A request id: a UUID, or the caller's own X-Request-Id (bootstrap.ts accepts only these). */
const REQUEST_ID_PATTERN = '^[A-Za-z0-9._-]{8,64}$';

const INT32 = { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 };

/** Answer headers, documented once and referenced from each answer that carries them. */
const HEADERS = {
  [RATE_LIMIT_HEADERS.limit]: {
    description:
      'Requests allowed per window in the operation’s rate-limit tier (`x-rate-limit-tier`; RATE_LIMIT_GENERAL, RATE_LIMIT_AUTH or ' +
      'RATE_LIMIT_CHAT, per RATE_LIMIT_WINDOW_SECONDS). Sent on every answer the rate limiter counted: not on the 401 and 403 of the ' +
      'credential and permission check, which comes first, nor when RATE_LIMIT_ENABLED is false.',
    schema: { ...INT32, minimum: 1 },
  },
  [RATE_LIMIT_HEADERS.remaining]: { description: 'Requests left in the current window (0 while rate limited).', schema: INT32 },
  [RATE_LIMIT_HEADERS.reset]: {
    description: 'Seconds until the window starts over; while rate limited, until requests are accepted again.',
    schema: INT32,
  },
  [RETRY_AFTER_HEADER]: { description: 'Seconds to wait before trying again.', schema: { ...INT32, minimum: 1 } },
  'X-Request-Id': {
    description: 'The request’s id (the caller’s own `X-Request-Id` when it was 8–64 of `A-Z a-z 0-9 . _ -`); also in error bodies and logs.',
    schema: { type: 'string', maxLength: 64, pattern: REQUEST_ID_PATTERN },
  },
  'Access-Control-Allow-Origin': {
    description: 'For browsers: the calling origin when CORS_ORIGINS allows it (any origin by default).',
    schema: { type: 'string', maxLength: 2048 },
  },
};

const headerRef = (name: string): { $ref: string } => ({ $ref: `#/components/headers/${name}` });

/** The server-written sentence of a success or error envelope. */
const ENVELOPE_MESSAGE_MAX_LENGTH = 500;
/** A page link: the request URL (Node takes at most 16 KiB of request line and headers) on the public base URL. */
const PAGE_LINK_MAX_LENGTH = 16_384;

/**
 * Bounds of the shared envelope schemas. Their classes (envelope.ts, error-envelope.ts)
 * describe the shape; what the values can be is known here, where the document is made.
 */
function boundEnvelopeSchemas(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, { properties?: Record<string, Record<string, unknown>> }>;
  const bound = (schema: string, property: string, bounds: Record<string, unknown>): void => {
    const target = schemas[schema]?.properties?.[property];
    if (target) Object.assign(target, bounds);
  };
  bound('SuccessEnvelopeBase', 'message', { maxLength: ENVELOPE_MESSAGE_MAX_LENGTH });
  bound('PaginationMeta', 'next', { format: 'uri', maxLength: PAGE_LINK_MAX_LENGTH });
  bound('PaginationMeta', 'previous', { format: 'uri', maxLength: PAGE_LINK_MAX_LENGTH });
  bound('CursorMeta', 'before', { format: 'uuid', maxLength: UUID_LENGTH });
  bound('CursorMeta', 'after', { format: 'uuid', maxLength: UUID_LENGTH });
  bound('ErrorEnvelope', 'message', { maxLength: ENVELOPE_MESSAGE_MAX_LENGTH });
  // Every code any feature registered: the one table the error filters read.
  bound('ErrorEnvelope', 'code', { enum: Object.keys(ErrorCodes).sort() });
  bound('ErrorEnvelope', 'request_id', { maxLength: 64, pattern: REQUEST_ID_PATTERN });
}

interface RouteFacts {
  access: AccessRule | undefined;
  tier: RateLimitTier | 'exempt';
}

const operationId = (controller: string, method: string): string => `${controller.replace(/Controller$/, '')}_${method}`;

/** What the guards enforce per operation (by operation id): the access rule and the rate-limit tier. */
function routeFacts(app: NestFastifyApplication): Map<string, RouteFacts> {
  const reflector = app.get(Reflector);
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler: unknown = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        facts.set(operationId(controller.name, name), {
          access: reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [handler, controller]),
          tier: reflector.getAllAndOverride<RateLimitTier | 'exempt' | undefined>(RATE_TIER, [handler, controller]) ?? 'general',
        });
      }
    }
  }
  return facts;
}

const rolesWith = (permission: Permission): string[] =>
  (Object.entries(ROLE_PERMISSIONS) as Array<[Role, readonly Permission[]]>)
    .filter(([, granted]) => granted.includes(permission))
    .map(([role]) => (isProvider(role) ? `${role} (verified)` : role));

function accessLine(access: AccessRule | undefined, ownScheme: boolean): string | null {
  if (!access) return null;
  if (access.public) return ownScheme ? '**Access:** no user credentials; needs the token of its security scheme.' : '**Access:** public, no user credentials.';
  if (access.permissions.length === 0) return '**Access:** any signed-in user (access token or API token).';
  const needs = access.permissions.map((p) => `\`${p}\` (${rolesWith(p).join(', ')})`).join(' and ');
  return `**Access:** signed in, with permission ${needs}.`;
}

const rateLine = (tier: RateLimitTier | 'exempt'): string =>
  tier === 'exempt'
    ? '**Rate limit:** none (exempt).'
    : `**Rate limit:** the \`${tier}\` tier, per user (per client IP when anonymous); see the \`RateLimit-*\` headers.`;

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** The OpenAPI document of the app (served at /api/docs-json, committed as openapi/openapi.json) and the pages that render it. */
export function buildOpenApiDocument(app: NestFastifyApplication, config: AppConfig): OpenAPIObject {
  const document = new DocumentBuilder()
    .setTitle('Haven API')
    .setDescription(
      'Backend for mental-health support apps: accounts and roles, therapist–patient chat, support groups, the support chat, notifications and staff tools.\n\n' +
        'Every `/api/v1` response is an envelope: `{success: true, data, message?, pagination?}` or ' +
        '`{success: false, errors, message, code, request_id}`. JSON is snake_case; ids are UUIDs; times are ISO 8601 UTC.\n\n' +
        'Each operation names the budget it counts against in `x-rate-limit-tier` (`general`, `auth`, `chat` or `exempt`); ' +
        'answers carry `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`, and a 429 `Retry-After`.',
    )
    .setVersion(config.version)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Access token from /api/v1/auth/login: a JWS following the JWT best current practices of RFC8725. Haven signs and ' +
          'accepts HS256 only (the token’s `alg` is never trusted), with a key of at least 32 characters, and checks issuer, ' +
          'audience, expiry (`exp` and `iat` are required) and the token kind, so a refresh or 2FA token is never an access token.',
      },
      BEARER_SCHEME,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Personal API token: `Authorization: Token <token>`.' },
      TOKEN_SCHEME,
    )
    // addSecurity, not addBearerAuth: that would call the token a JWT.
    .addSecurity(METRICS_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: 'The deployment’s METRICS_TOKEN (not a user credential), for Prometheus scrapers.',
    })
    .build();
  // Relative, so the document fits whatever host serves it; `x-internal: false`: a public API.
  const server: ServerObject & { 'x-internal': boolean } = {
    url: '/',
    description: 'The deployment serving this document (local, staging or production).',
    'x-internal': false,
  };
  document.servers = [server];
  document.tags = TAGS;
  applyErrorDocs();
  const result = SwaggerModule.createDocument(app, document, {
    operationIdFactory: (controller, method) => operationId(controller, method),
  });
  result.components = { ...result.components, headers: HEADERS };
  const facts = routeFacts(app);
  for (const item of Object.values(result.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      // Any operation can fail on our side; say so once here rather than on every route.
      operation.responses['500'] ??= {
        description: 'Unexpected server error; the body carries the request id, never details.',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
      };
      const fact = operation.operationId ? facts.get(operation.operationId) : undefined;
      const tier = fact?.tier ?? 'general';
      Object.assign(operation, { 'x-rate-limit-tier': tier });
      const ownScheme = (operation.security?.length ?? 0) > 0;
      operation.description = [operation.description, accessLine(fact?.access, ownScheme), rateLine(tier)].filter(Boolean).join('\n\n');
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response || '$ref' in response) continue;
        // Errors are JSON envelopes even where success is not (a file, Prometheus text).
        if (/^[45]/.test(status) && response.content && !response.content['application/json']) {
          response.content = { 'application/json': { schema: Object.values(response.content)[0]?.schema } };
        }
        const headers: Record<string, { $ref: string }> = { 'X-Request-Id': headerRef('X-Request-Id'), 'Access-Control-Allow-Origin': headerRef('Access-Control-Allow-Origin') };
        if (tier !== 'exempt' && /^[24]/.test(status)) {
          for (const name of Object.values(RATE_LIMIT_HEADERS)) headers[name] = headerRef(name);
        }
        // 429 (rate limited) and 423 (account locked) say when to come back.
        if (status === '429' || status === '423') headers[RETRY_AFTER_HEADER] = headerRef(RETRY_AFTER_HEADER);
        response.headers = { ...response.headers, ...headers };
      }
    }
  }
  boundEnvelopeSchemas(result);
  boundFixedLengthFormats(result);
  return result;
}

/** Lengths a string's format fixes: a UUID, and a time as `toISOString()` writes it (inputs with an offset are no longer). */
const FORMAT_MAX_LENGTH = new Map([
  ['uuid', UUID_LENGTH],
  ['date-time', DATE_TIME_LENGTH + 5],
]);

/** Every uuid or date-time string (properties, array items, parameters) without a maxLength gets the one its format implies. */
function boundFixedLengthFormats(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) boundFixedLengthFormats(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  const implied = schema.type === 'string' && typeof schema.format === 'string' ? FORMAT_MAX_LENGTH.get(schema.format) : undefined;
  if (implied !== undefined && schema.maxLength === undefined && schema.enum === undefined) schema.maxLength = implied;
  for (const value of Object.values(schema)) boundFixedLengthFormats(value);
}

/** ReDoc's script, served from the installed package so the page works offline. */
const REDOC_SCRIPT = require.resolve('redoc/bundles/redoc.standalone.js');
const REDOC_VERSION = (JSON.parse(readFileSync(join(dirname(REDOC_SCRIPT), '..', 'package.json'), 'utf8')) as { version: string }).version;
/** Versioned, so it can be cached for good: a new redoc gives a new URL. */
export const REDOC_SCRIPT_URL = `/api/redoc/redoc-${REDOC_VERSION}.standalone.js`;

const REDOC_PAGE = `<!DOCTYPE html>
<html><head><title>Haven API – ReDoc</title><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/api/docs-json"></redoc>
<script src="${REDOC_SCRIPT_URL}"></script></body></html>`;

export function setupOpenApi(app: NestFastifyApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/api/redoc', (_request, reply) => {
    void reply.type('text/html; charset=utf-8').send(REDOC_PAGE);
  });
  fastify.get(REDOC_SCRIPT_URL, (_request, reply) => {
    void reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(createReadStream(REDOC_SCRIPT));
  });
}
