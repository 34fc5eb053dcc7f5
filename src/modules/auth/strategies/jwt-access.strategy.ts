import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { Principal } from 'src/common/access/principal';
import { SessionsService } from '../sessions.service';
import { tokenError, TokenService } from '../token.service';
import { CredentialCarrier, credentialFor, readAuthorization } from './authorization-header';

export const JWT_STRATEGY = 'jwt';

/** Only reached once authenticate() has seen a well-formed `Bearer` header. */
function bearerToken(request: CredentialCarrier): string | null {
  const credentials = readAuthorization(request.headers);
  return credentials?.scheme === 'bearer' ? credentials.credential : null;
}

/**
 * `Authorization: Bearer <access JWT>`. passport-jwt (jsonwebtoken) checks the signature
 * with HS256 only (so `alg: none`, HS512 and algorithm confusion are refused), the issuer,
 * the audience and the expiry; validate() then requires the access-token claims
 * (`exp`, `iat`, `sub`, `sid`, `typ: access`) and a live session of an active account.
 */
@Injectable()
export class JwtAccessStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: bearerToken,
      // Typed string | Buffer, but handed to jsonwebtoken as is: the prebuilt KeyObject
      // spares it from parsing the secret (as a PEM key first) on every request.
      secretOrKey: tokens.key as unknown as Buffer,
      ...tokens.verifyOptions,
      ignoreExpiration: false,
    });
  }

  override authenticate(request: Parameters<Strategy['authenticate']>[0], options?: unknown): void {
    if (credentialFor(this, request, 'bearer') === null) return;
    // passport-jwt reports a token that does not verify with fail(), which would hand the
    // request on to the next strategy and end as "no credentials". A Bearer token that does
    // not verify is refused with its own reason (expired or invalid), as TokenService.verify does.
    this.fail = (challenge: unknown) => this.error(tokenError(challenge));
    super.authenticate(request, options);
  }

  async validate(payload: unknown): Promise<Principal> {
    return this.sessions.principalFor(this.tokens.claimsOf(payload, 'access'));
  }
}
