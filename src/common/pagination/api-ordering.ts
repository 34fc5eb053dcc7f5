import { applyDecorators, CanActivate, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppException } from 'src/common/errors/app.exception';
import { ListOrdering, orderingColumn, orderingValues } from './paginate';

/** Where a bad `ordering` waits on the query object for the validation pipe (not enumerable: never a field). */
export const ORDERING_ERROR = Symbol('haven:ordering-error');

/**
 * Checks a list's `ordering` before the handler runs, so a bad value is the same 400 on
 * every list, also where the service would first look up (and 404) the object the list
 * belongs to. It never refuses by itself: the message is left on the query object and the
 * validation pipe reports it with the query's other field errors, in one answer.
 * paginate() checks again what it sorts by. `@ApiOrdering` binds one to each list route
 * (after the global guards: a caller is authenticated first). A guard, not an interceptor:
 * an interceptor puts every request of the route through an rxjs pipeline.
 */
class OrderingCheckGuard implements CanActivate {
  constructor(private readonly ordering: ListOrdering) {}

  canActivate(context: ExecutionContext): boolean {
    const query = context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown> | undefined;
    if (!query || typeof query.ordering !== 'string') return true;
    try {
      orderingColumn(query.ordering, this.ordering);
    } catch (error) {
      if (!(error instanceof AppException)) throw error;
      Object.defineProperty(query, ORDERING_ERROR, { value: error.fieldErrors.ordering, enumerable: false });
    }
    return true;
  }
}

/**
 * Documents a list's `ordering` parameter (the accepted values, as an enum, and the default)
 * and has it checked before the handler runs, so a bad value is a 400 on every list,
 * whatever else the route would look up first.
 */
export const ApiOrdering = (ordering: ListOrdering): MethodDecorator =>
  applyDecorators(
    ApiQuery({
      name: 'ordering',
      required: false,
      description: 'Sort field; prefix with `-` for descending.',
      schema: { type: 'string', enum: orderingValues(ordering.orderable), default: ordering.defaultOrdering },
    }),
    UseGuards(new OrderingCheckGuard(ordering)),
  );
