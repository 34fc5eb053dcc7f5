import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { AppException, notAcceptedField } from 'src/common/errors/app.exception';

/** Parameter kinds through which a handler reads the body (itself, or the whole request). */
const READS_BODY = new Set<number>([RouteParamtypes.BODY, RouteParamtypes.REQUEST, RouteParamtypes.RAW_BODY]);

/**
 * A route without a body parameter (`POST /privacy/exports`, `POST /auth/logout-all`, a join)
 * refuses a body with fields instead of ignoring it, as a route with a DTO refuses an unknown
 * field: each field is "not an accepted field", in one 400 and before anything is written.
 * An empty object, or no body, passes. Handlers that take `@Body()`, `@Req()` or the raw body
 * read the body themselves and are left to it. Whether a handler reads the body is worked
 * out once per handler; a request without a body costs one property check.
 */
@Injectable()
export class BodylessRouteGuard implements CanActivate {
  private readonly readsBody = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    if (body === undefined || body === null || body === '') return true;
    if (this.handlerReadsBody(context)) return true;
    if (typeof body !== 'object' || Array.isArray(body)) throw AppException.validation('body', 'this endpoint takes no body');
    const fields = Object.keys(body);
    if (fields.length === 0) return true;
    throw AppException.invalidFields(Object.fromEntries(fields.map((field) => [field, [notAcceptedField(field)]])));
  }

  private handlerReadsBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let reads = this.readsBody.get(handler);
    if (reads === undefined) {
      const params = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<string, unknown>;
      // Keys are `<paramtype>:<index>` (custom decorators carry their own prefix and are never the body).
      reads = Object.keys(params).some((key) => READS_BODY.has(Number(key.split(':')[0])));
      this.readsBody.set(handler, reads);
    }
    return reads;
  }
}
