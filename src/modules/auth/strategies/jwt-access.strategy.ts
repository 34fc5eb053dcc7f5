import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Principal } from 'src/common/access/principal';
import { SessionsService } from '../sessions.service';
import { AccessClaims, TokenService } from '../token.service';
import { schemeStrategy } from './authorization-header';

export const JWT_STRATEGY = 'jwt';

/**
 * `Authorization: Bearer <access JWT>`: TokenService checks the signature (HS256 only, so
 * `alg: none`, HS512 and algorithm confusion are refused), issuer, audience, expiry and the
 * access-token claims (`exp`, `iat`, `sub`, `sid`, `typ: access`); then a live session of an
 * active account.
 */
@Injectable()
export class JwtAccessStrategy extends PassportStrategy(schemeStrategy(JWT_STRATEGY, 'bearer'), JWT_STRATEGY) {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
  ) {
    super();
  }

  async validate(token: string): Promise<Principal> {
    const claims: AccessClaims = this.tokens.verify(token, 'access');
    return this.sessions.principalFor(claims);
  }
}
