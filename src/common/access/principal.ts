import { AppException } from 'src/common/errors/app.exception';
import { isVerifiedProvider, Role } from './permissions';

/** Who is calling: set on the request by authentication, read by guards and `@CurrentUser()`. */
export interface Principal {
  userId: string;
  role: Role;
  /** The login session (refresh-token family) behind an access token; null for API tokens. */
  sessionId: string | null;
  /** The API token used, when the request authenticated with `Authorization: Token …`. */
  apiTokenId: string | null;
  isVerified: boolean;
  /** The rate-limit tier of the account's plan (premium plans raise the general and chat limits). */
  rateTier: RateTier;
}

export type RateTier = 'standard' | 'premium';

/**
 * Resolves the caller of a request from its headers: the one decision for HTTP (the
 * AccessGuard) and the Socket.IO handshake. The auth module provides it (its Passport
 * strategies); it lives here so that `src/common` never imports a feature module.
 */
export abstract class RequestAuthenticator {
  /** Returns null when the request carries no credentials; throws AppException when they are bad. */
  abstract authenticate(headers: Record<string, string | string[] | undefined>): Promise<Principal | null>;
}

/**
 * For actions that must come from an interactive login (a JWT session), not from a
 * personal API token: managing API tokens, 2FA, password, email, deleting the account.
 */
export function requireSession(principal: Principal): asserts principal is Principal & { sessionId: string } {
  if (!principal.sessionId) {
    throw new AppException('AUTH.SESSION_REQUIRED', 'Sign in with your password to do this; API tokens cannot.');
  }
}

export const providerNotVerified = (): AppException =>
  new AppException('AUTH.PROVIDER_NOT_VERIFIED', 'Your therapist or friend account is not verified yet; staff verify it before it can do this.');

/** For features only verified therapists and friends may use (offering sessions, …). */
export function requireVerifiedProvider(principal: Principal): void {
  if (!isVerifiedProvider(principal)) throw providerNotVerified();
}
