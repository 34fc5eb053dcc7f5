import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Strategy as PassportStrategyContract } from 'passport';
import { Principal } from 'src/common/access/principal';
import { SessionsService } from '../sessions.service';
import { AccessClaims, TokenService } from '../token.service';
import { CredentialCarrier, credentialFor } from './authorization-header';

export const JWT_STRATEGY = 'jwt';

type VerifyAccessToken = (token: string, done: (error: unknown, principal?: Principal | false | null) => void) => void;

/**
 * `Authorization: Bearer <access JWT>` in the shape of a passport-strategy Strategy:
 * Passport calls authenticate() on a per-request copy to which it has added success,
 * fail and error. Another scheme is left to the next strategy (fail); a Bearer token that
 * does not verify ends authentication with its own reason (error), never "no credentials".
 */
class BearerJwtStrategy implements PassportStrategyContract {
  readonly name = JWT_STRATEGY;
  declare success: (principal: Principal) => void;
  declare fail: (status: number) => void;
  declare error: (error: Error) => void;

  constructor(private readonly verify: VerifyAccessToken) {}

  authenticate(request: CredentialCarrier): void {
    const token = credentialFor(this, request, 'bearer');
    if (token === null) return;
    this.verify(token, (error, principal) => {
      if (error) this.error(error as Error);
      else if (principal) this.success(principal);
      else this.fail(401);
    });
  }
}

/**
 * Access tokens: TokenService checks the signature (HS256 only, so `alg: none`, HS512 and
 * algorithm confusion are refused), issuer, audience, expiry and the access-token claims
 * (`exp`, `iat`, `sub`, `sid`, `typ: access`); then a live session of an active account.
 */
@Injectable()
export class JwtAccessStrategy extends PassportStrategy(BearerJwtStrategy, JWT_STRATEGY) {
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
