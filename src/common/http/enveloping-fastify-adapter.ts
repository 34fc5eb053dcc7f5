import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { CursorPage, Paginated, PaginationMeta, WithMessage } from './envelope';
import { RAW_RESPONSE_CONFIG } from './raw-response.decorator';

function pageLink(request: FastifyRequest, baseUrl: string, page: number): string {
  const url = new URL(request.url, baseUrl);
  url.searchParams.set('page', String(page));
  return url.toString();
}

function paginationMeta(result: Paginated<unknown>, request: FastifyRequest, baseUrl: string): PaginationMeta {
  const totalPages = Math.max(1, Math.ceil(result.count / result.pageSize));
  return {
    count: result.count,
    page: result.page,
    page_size: result.pageSize,
    total_pages: totalPages,
    next: result.page < totalPages ? pageLink(request, baseUrl, result.page + 1) : null,
    previous: result.page > 1 ? pageLink(request, baseUrl, Math.min(result.page - 1, totalPages)) : null,
  };
}

/** The success envelope `{ success: true, data, message?, pagination? | cursor? }` of a handler's return value. */
export function envelope(body: unknown, request: FastifyRequest, publicUrl: string | undefined): unknown {
  if (body instanceof Paginated) {
    return { success: true, data: body.items, pagination: paginationMeta(body, request, publicUrl ?? `${request.protocol}://${request.host}`) };
  }
  if (body instanceof CursorPage) return { success: true, data: body.items, cursor: body.cursor };
  if (body instanceof WithMessage) return { success: true, data: body.data as unknown, message: body.message };
  return { success: true, data: body ?? null };
}

/**
 * Fastify for Nest, wrapping every successful handler result in the envelope as Nest hands
 * it over to be sent. Nest calls `reply()` with what a handler returned (errors go through
 * the exception filter, which writes its own envelope); routes marked `@RawResponse()`
 * (monitoring shapes, files) and error statuses are sent as they are. Done here rather
 * than in a global interceptor, which puts every request through an rxjs pipeline.
 */
export class EnvelopingFastifyAdapter extends FastifyAdapter {
  constructor(
    options: FastifyServerOptions,
    private readonly publicUrl: string | undefined,
  ) {
    super(options);
  }

  override reply(response: Parameters<FastifyAdapter['reply']>[0], body: unknown, statusCode?: number): ReturnType<FastifyAdapter['reply']> {
    // Nest may hand over Node's own response (outside a route): never enveloped.
    const request = (response as Partial<FastifyReply>).request;
    const raw = !request || (request.routeOptions.config as unknown as Record<string, unknown>)[RAW_RESPONSE_CONFIG] === true;
    if (raw || (statusCode ?? response.statusCode) >= 400) return super.reply(response, body, statusCode);
    return super.reply(response, envelope(body, request, this.publicUrl), statusCode);
  }
}
