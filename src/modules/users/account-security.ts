import type { RequestContext } from 'src/common/http/request-context';
import type { EntityManager } from 'typeorm';
import type { TwoFactorCodeFields } from './two-factor-code.fields';
import type { User } from './user.entity';

/** What ended when a password changed: the other login sessions and every API token. */
export interface PasswordChangeEffects {
  sessionsEnded: number;
  apiTokensRevoked: number;
}

/**
 * What the users module needs from the owner of credentials (the auth module implements
 * it): checking and hashing passwords and second factors, and ending an account's
 * sessions and API tokens when its password changes or it is erased. Users declares it
 * and auth provides it (the auth module is global), so users never imports auth: the
 * dependency runs one way, auth → users. An abstract class, so it is its own
 * injection token.
 *
 * `passwordChanged` is the event of the account's lifecycle that auth must act on; it
 * runs in the caller's transaction (`manager`), so the account change and its
 * consequences commit together. Erasure is auth's `AuthPersonalData`, one of every feature's.
 */
export abstract class AccountSecurity {
  /** 400 AUTH.WRONG_PASSWORD on `field` unless `password` is the account's password (re-authentication). */
  abstract assertPassword(user: User, password: string, field: string): Promise<void>;

  /** The hash to store for a new password; 400 AUTH.WEAK_PASSWORD when the policy refuses it. */
  abstract hashNewPassword(password: string, owner: { email: string; username: string | null }): Promise<string>;

  /** For an account with 2FA on: consumes a valid code or recovery code, else 400 AUTH.WRONG_2FA_CODE with `message`. */
  abstract assertSecondFactor(user: User, factor: TwoFactorCodeFields, context: RequestContext, manager: EntityManager, message: string): Promise<void>;

  /** The account's password was just changed (from `keepSessionId`): every other session and all API tokens end; audited. */
  abstract passwordChanged(userId: string, keepSessionId: string | null, context: RequestContext, manager: EntityManager): Promise<PasswordChangeEffects>;

  /** After the change committed: disconnects the account's sockets (all, or all but one session's). */
  abstract endSockets(userId: string, scope: { exceptSessionId?: string | null }): void;
}
