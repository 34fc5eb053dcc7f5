import { Injectable } from '@nestjs/common';
import { Principal, RequestAuthenticator } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ApiTokensService } from './api-tokens.service';
import { SessionsService } from './sessions.service';
import { TokenService } from './token.service';

/**
 * The one way a caller is recognised, for HTTP (`Authorization` header, via the global
 * AccessGuard) and for the Socket.IO handshake alike.
 */
@Injectable()
export class AuthenticationService extends RequestAuthenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
  ) {
    super();
  }

  /** A JWT access token → its caller; 401 when forged, expired, of another kind, or its session is revoked. */
  async verifyAccessToken(token: string): Promise<Principal> {
    return this.sessions.principalFor(this.tokens.verify(token, 'access'));
  }

  /** A personal API token → its owner; 401 when unknown, revoked or expired. */
  authenticateApiToken(token: string): Promise<Principal> {
    return this.apiTokens.authenticate(token);
  }

  /** `Bearer <JWT>` or `Token <api token>`; null without credentials. */
  async authenticate(headers: Record<string, string | string[] | undefined>): Promise<Principal | null> {
    const header = headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    if (!value?.trim()) return null;
    const match = /^(\S+)\s+(\S+)\s*$/.exec(value.trim());
    if (!match) throw new AppException('AUTH.INVALID_TOKEN', 'Malformed Authorization header; use `Bearer <token>` or `Token <token>`.');
    const [, scheme, credential] = match;
    switch (scheme.toLowerCase()) {
      case 'bearer':
        return this.verifyAccessToken(credential);
      case 'token':
        return this.authenticateApiToken(credential);
      default:
        throw new AppException('AUTH.INVALID_TOKEN', `Unsupported Authorization scheme "${scheme.slice(0, 20)}"; use Bearer or Token.`);
    }
  }
}
