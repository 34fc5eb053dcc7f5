import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { AppConfig } from 'src/config/app-config';
import { CursorPage, Paginated, PaginationMeta, WithMessage } from './envelope';
import { RAW_RESPONSE } from './raw-response.decorator';

function pageLink(request: FastifyRequest, baseUrl: string, page: number): string {
  const url = new URL(request.url, baseUrl);
  url.searchParams.set('page', String(page));
  return url.toString();
}

export function paginationMeta(result: Paginated<unknown>, request: FastifyRequest, baseUrl: string): PaginationMeta {
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

/** Wraps every successful JSON response in `{ success: true, data, message?, pagination? }`. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const raw = this.reflector.getAllAndOverride<boolean>(RAW_RESPONSE, [context.getHandler(), context.getClass()]);
    if (raw) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const baseUrl = this.config.http.publicUrl ?? `${request.protocol}://${request.host}`;
    return next.handle().pipe(
      map((body: unknown) => {
        if (body instanceof Paginated) {
          return { success: true, data: body.items, pagination: paginationMeta(body, request, baseUrl) };
        }
        if (body instanceof CursorPage) return { success: true, data: body.items, cursor: body.cursor };
        if (body instanceof WithMessage) return { success: true, data: body.data as unknown, message: body.message };
        return { success: true, data: body ?? null };
      }),
    );
  }
}
