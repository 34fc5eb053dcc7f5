import type { Strategy as PassportStrategyContract } from 'passport';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';

/** The Authorization schemes Haven accepts, lower-cased. */
export type AuthorizationScheme = 'bearer' | 'token';

/** What the strategies read of a request: its headers (an HTTP request's, or the Socket.IO handshake credential). */
export interface CredentialCarrier {
  headers: Record<string, string | string[] | undefined>;
}

/** The actions Passport gives a strategy for one request (only those used here). */
interface StrategyActions {
  fail(status: number): void;
  error(error: Error): void;
}

/**
 * `Bearer <JWT>` or `Token <api token>` from the Authorization header; null without one.
 * A malformed header or another scheme is AUTH.INVALID_TOKEN, never "anonymous".
 */
export function readAuthorization(headers: CredentialCarrier['headers']): { scheme: AuthorizationScheme; credential: string } | null {
  const header = headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  if (!value?.trim()) return null;
  const match = /^(\S+)\s+(\S+)\s*$/.exec(value.trim());
  if (!match) throw new AppException('AUTH.INVALID_TOKEN', 'Malformed Authorization header; use `Bearer <token>` or `Token <token>`.');
  const [, scheme, credential] = match;
  const lower = scheme.toLowerCase();
  if (lower !== 'bearer' && lower !== 'token') {
    throw new AppException('AUTH.INVALID_TOKEN', `Unsupported Authorization scheme "${scheme.slice(0, 20)}"; use Bearer or Token.`);
  }
  return { scheme: lower, credential };
}

/**
 * For a strategy's authenticate(): the credential when the request uses `scheme`. Otherwise
 * null, having already told Passport: fail (no credentials, or another strategy's scheme,
 * so the next strategy is tried) or error (a malformed header or an unknown scheme, which
 * ends authentication with AUTH.INVALID_TOKEN).
 */
export function credentialFor(strategy: StrategyActions, request: CredentialCarrier, scheme: AuthorizationScheme): string | null {
  let credentials: ReturnType<typeof readAuthorization>;
  try {
    credentials = readAuthorization(request.headers);
  } catch (error) {
    strategy.error(error as AppException);
    return null;
  }
  if (credentials?.scheme === scheme) return credentials.credential;
  strategy.fail(401);
  return null;
}

/** How a strategy's credential is checked: Passport's verify callback, answering through `done`. */
export type VerifyCredential = (credential: string, done: (error: unknown, principal?: Principal | false | null) => void) => void;

/**
 * A passport-strategy Strategy for one Authorization scheme (no package offers `Token`, and
 * Haven's Bearer check is its own TokenService): Passport calls authenticate() on a
 * per-request copy to which it has added success, fail and error. Another scheme is left to
 * the next strategy (fail); a credential of this scheme that does not verify ends
 * authentication with its own reason (error), never "no credentials".
 */
export function schemeStrategy(name: string, scheme: AuthorizationScheme): new (verify: VerifyCredential) => PassportStrategyContract {
  return class SchemeStrategy implements PassportStrategyContract {
    readonly name = name;
    declare success: (principal: Principal) => void;
    declare fail: (status: number) => void;
    declare error: (error: Error) => void;

    constructor(private readonly verify: VerifyCredential) {}

    authenticate(request: CredentialCarrier): void {
      const credential = credentialFor(this, request, scheme);
      if (credential === null) return;
      this.verify(credential, (error, principal) => {
        if (error) this.error(error as Error);
        else if (principal) this.success(principal);
        else this.fail(401);
      });
    }
  };
}
