import { Injectable } from '@nestjs/common';
import passport from 'passport';
import { Principal, RequestAuthenticator } from 'src/common/access/principal';
import { API_TOKEN_STRATEGY, ApiTokenStrategy } from './strategies/api-token.strategy';
import { CredentialCarrier } from './strategies/authorization-header';
import { JWT_STRATEGY, JwtAccessStrategy } from './strategies/jwt-access.strategy';

/** Tried in this order; each claims only its own scheme and leaves the others to the next. */
const STRATEGIES = [JWT_STRATEGY, API_TOKEN_STRATEGY];

type PassportMiddleware = (request: CredentialCarrier, response: null, next: (error?: Error) => void) => void;

/**
 * The one way a caller is recognised, for HTTP (the global AccessGuard hands over the
 * request's headers) and for the Socket.IO handshake alike: Passport runs the Bearer-JWT
 * and API-token strategies over the Authorization header.
 */
@Injectable()
export class AuthenticationService extends RequestAuthenticator {
  /**
   * This app's own Passport. On the process-wide instance (the one @nestjs/passport's
   * AuthGuard uses), a second app in the same process (tests, CLI tools) would replace
   * these strategies by name and then authenticate this app's requests with its services.
   */
  private readonly instance = new passport.Passport();

  constructor(jwt: JwtAccessStrategy, apiToken: ApiTokenStrategy) {
    super();
    this.instance.use(JWT_STRATEGY, jwt).use(API_TOKEN_STRATEGY, apiToken);
  }

  /** `Bearer <JWT>` or `Token <api token>`; null without credentials; AppException when they are bad. */
  authenticate(headers: CredentialCarrier['headers']): Promise<Principal | null> {
    return new Promise((resolve, reject) => {
      // With a callback, Passport only reports the outcome: it never answers the request
      // (so no 401 of its own), and errors reach Nest's exception filter or the socket.
      const middleware = this.instance.authenticate(STRATEGIES, { session: false }, (error: Error | null, principal?: Principal | false) => {
        if (error) reject(error);
        else resolve(principal || null);
      }) as PassportMiddleware;
      middleware({ headers }, null, (error) => (error ? reject(error) : resolve(null)));
    });
  }
}
