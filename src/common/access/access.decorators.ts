import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorEnvelope } from 'src/common/errors/error-envelope';
import { Permission } from './permissions';
import { Principal } from './principal';

export const ACCESS_KEY = 'haven:access';

export type AccessRule = { public: true } | { public: false; permissions: Permission[] };

export const BEARER_SCHEME = 'bearer';
export const TOKEN_SCHEME = 'token';

/** Anyone may call this route, signed in or not. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_KEY, { public: true } satisfies AccessRule);

/**
 * A signed-in caller with all the given permissions (none: any signed-in user) may call
 * this route. Also documents the security schemes and the 401/403 answers.
 */
export const Authenticated = (...permissions: Permission[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { public: false, permissions } satisfies AccessRule),
    ApiBearerAuth(BEARER_SCHEME),
    ApiSecurity(TOKEN_SCHEME),
    ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked credentials.', type: ErrorEnvelope }),
    ...(permissions.length > 0
      ? [ApiForbiddenResponse({ description: `Requires permission: ${permissions.join(', ')}.`, type: ErrorEnvelope })]
      : []),
  );

/** The authenticated caller. Only valid on `@Authenticated` routes. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentUser used on a route that is not @Authenticated');
  return request.principal;
});
