import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Where a request came from, for the audit log: passed explicitly to services that record events. */
export interface RequestContext {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** For work not triggered by an HTTP request (CLI, jobs). */
export const SYSTEM_CONTEXT: RequestContext = { requestId: null, ip: null, userAgent: null };

export function requestContextOf(request: FastifyRequest): RequestContext {
  const agent = request.headers['user-agent'];
  return {
    requestId: String(request.id),
    ip: request.ip ?? null,
    userAgent: typeof agent === 'string' ? agent.slice(0, 300) : null,
  };
}

/** The request id, client IP (honouring TRUST_PROXY) and user agent of the current request. */
export const ReqContext = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestContext => requestContextOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
