import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { AppException } from './app.exception';
import { ErrorCode, FieldErrors } from './error-codes';
import { errorEnvelope } from './error-envelope';

interface NormalisedError {
  status: number;
  code: ErrorCode;
  message: string;
  errors: FieldErrors;
  headers: Record<string, string>;
}

const codeForStatus = new Map<number, ErrorCode>(
  Object.entries({
  [HttpStatus.BAD_REQUEST]: 'COMMON.BAD_REQUEST',
  [HttpStatus.UNAUTHORIZED]: 'COMMON.UNAUTHENTICATED',
  [HttpStatus.FORBIDDEN]: 'COMMON.FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'COMMON.NOT_FOUND',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'COMMON.METHOD_NOT_ALLOWED',
  [HttpStatus.CONFLICT]: 'COMMON.CONFLICT',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'COMMON.PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'COMMON.UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'COMMON.RATE_LIMITED',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'COMMON.SERVICE_UNAVAILABLE',
  } satisfies Partial<Record<number, ErrorCode>>).map(([status, code]) => [Number(status), code]),
);

// Fastify's own request errors (body parsing happens before Nest sees the request).
const fastifyErrors = new Map<string, { code: ErrorCode; message: string }>(
  Object.entries({
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'COMMON.MALFORMED_JSON', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'COMMON.MALFORMED_JSON', message: 'The request body is empty but declared as JSON.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'COMMON.PAYLOAD_TOO_LARGE', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'COMMON.UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported content type; send application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'COMMON.BAD_REQUEST', message: 'The Content-Length header does not match the body.' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'COMMON.UNSUPPORTED_MEDIA_TYPE', message: 'The Content-Type header is invalid.' },
  } satisfies Record<string, { code: ErrorCode; message: string }>),
);

/**
 * PostgreSQL errors caused by what a client sent, not by a fault of ours: text it cannot
 * store (NUL, invalid encoding). Validation refuses these first; this is the backstop.
 */
const clientDataErrors = new Set(['22021', '22P05']);

/** Turns anything thrown while handling an HTTP request into a normalised error. */
export function normaliseError(exception: unknown): NormalisedError | null {
  if (exception instanceof AppException) {
    return {
      status: exception.getStatus(),
      code: exception.code,
      message: exception.message,
      errors: exception.fieldErrors,
      headers: exception.headers,
    };
  }
  if (exception instanceof ThrottlerException) {
    return { status: 429, code: 'COMMON.RATE_LIMITED', message: 'Too many requests; slow down and retry later.', errors: {}, headers: {} };
  }
  // Nest wraps Fastify's errors in an HttpException whose cause is the original.
  const source = (exception as { cause?: unknown })?.cause ?? exception;
  const fastifyCode = (source as { code?: unknown })?.code;
  const known = typeof fastifyCode === 'string' ? fastifyErrors.get(fastifyCode) : undefined;
  if (known) {
    const status = Number((source as { statusCode?: number }).statusCode ?? 400);
    return { status, code: known.code, message: known.message, errors: {}, headers: {} };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = codeForStatus.get(status);
    if (!code) return null;
    const isRoute = status === 404 && /^Cannot [A-Z]+ /.test(exception.message);
    return {
      status,
      code: isRoute ? 'COMMON.ROUTE_NOT_FOUND' : code,
      message: isRoute ? 'No such route.' : exception.message,
      errors: {},
      headers: {},
    };
  }
  if (exception instanceof QueryFailedError && clientDataErrors.has(String((exception.driverError as { code?: unknown })?.code))) {
    return { status: 400, code: 'COMMON.BAD_REQUEST', message: 'The request holds text that cannot be stored (such as a NUL character).', errors: {}, headers: {} };
  }
  const status = (exception as { statusCode?: unknown })?.statusCode;
  const code = typeof status === 'number' && status >= 400 && status < 500 ? codeForStatus.get(status) : undefined;
  if (typeof status === 'number' && code) {
    return { status, code, message: 'The request could not be processed.', errors: {}, headers: {} };
  }
  return null;
}

/** One filter for HTTP: every error leaves in the error envelope with a code and the request id. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = normaliseError(exception) ?? this.internal(exception, request);
    for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
    void reply
      .status(error.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorEnvelope(error.code, error.message, error.errors, String(request.id)));
  }

  private internal(exception: unknown, request: FastifyRequest): NormalisedError {
    // Logged with the stack for operators; the client only sees the code and request id.
    this.logger.error(
      { err: exception, request_id: request.id, route: request.routeOptions?.url },
      'unhandled error while serving a request',
    );
    return { status: 500, code: 'COMMON.INTERNAL', message: 'Something went wrong on our side.', errors: {}, headers: {} };
  }
}
