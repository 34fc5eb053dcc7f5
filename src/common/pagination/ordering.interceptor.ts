import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { AppException } from 'src/common/errors/app.exception';
import { LIST_ORDERING, ListOrdering, orderingColumn } from './paginate';

/** Where a bad `ordering` waits on the query object for the validation pipe (not enumerable: never a field). */
export const ORDERING_ERROR = Symbol('haven:ordering-error');

/**
 * Checks a list's `ordering` before the handler runs, so a bad value is the same 400 on
 * every list, also where the service would first look up (and 404) the object the list
 * belongs to. The message is left on the query object and the validation pipe reports it
 * with the query's other field errors, in one answer. paginate() checks again what it sorts by.
 */
@Injectable()
export class OrderingInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const ordering = this.reflector.get<ListOrdering | undefined>(LIST_ORDERING, context.getHandler());
    const query = context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown> | undefined;
    if (!ordering || !query || typeof query.ordering !== 'string') return next.handle();
    try {
      orderingColumn(query.ordering, ordering);
    } catch (error) {
      if (!(error instanceof AppException)) throw error;
      Object.defineProperty(query, ORDERING_ERROR, { value: error.fieldErrors.ordering, enumerable: false });
    }
    return next.handle();
  }
}
