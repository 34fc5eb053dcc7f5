import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppException } from 'src/common/errors/app.exception';
import { ACCESS_KEY, AccessRule } from './access.decorators';
import { HandlerMetadata } from './handler-metadata';
import { awaitsVerificationFor, hasPermission } from './permissions';
import { Principal, providerNotVerified, RequestAuthenticator } from './principal';

/**
 * Global guard: every route must declare `@Public()` or `@Authenticated(...)`. A route
 * without a declaration is refused (and the route-access test fails CI), so forgetting
 * the decorator can never open a route. Who is calling is the RequestAuthenticator's
 * decision (the auth module's Passport strategies); this guard only applies the route's rule.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly rules: HandlerMetadata<AccessRule | null>;

  constructor(
    reflector: Reflector,
    @Optional() private readonly authenticator?: RequestAuthenticator,
  ) {
    this.rules = new HandlerMetadata<AccessRule | null>(reflector, ACCESS_KEY, null);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.rules.of(context);
    if (!rule) throw new AppException('COMMON.FORBIDDEN', 'This route declares no access rule.');
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; principal?: Principal }>();
    if (rule.public) {
      return true;
    }
    const principal = this.authenticator ? await this.authenticator.authenticate(request.headers) : null;
    if (!principal) throw new AppException('COMMON.UNAUTHENTICATED', 'Authentication required.');
    request.principal = principal;
    const missing = rule.permissions.filter((p) => !hasPermission(principal, p));
    if (missing.length > 0) {
      if (missing.every((p) => awaitsVerificationFor(principal, p))) throw providerNotVerified();
      throw new AppException('COMMON.FORBIDDEN', 'You do not have permission to do this.');
    }
    return true;
  }
}
