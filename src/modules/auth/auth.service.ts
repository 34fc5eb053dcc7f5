import { Injectable } from '@nestjs/common';
import { Role } from 'src/common/access/permissions';
import { Principal, requireSession } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { RequestContext } from 'src/common/http/request-context';
import { AppConfig } from 'src/config/app-config';
import { AuditService } from 'src/modules/audit/audit.service';
import { UserCredentialsService } from 'src/modules/users/user-credentials.service';
import type { User } from 'src/modules/users/user.entity';
import { toUserDto, UserDto } from 'src/modules/users/users.dto';
import { UsersService } from 'src/modules/users/users.service';
import { UserStatus } from 'src/modules/users/users.types';
import { DataSource } from 'typeorm';
import { ApiTokensService } from './api-tokens.service';
import { LoginDto, LoginSecondFactorDto, RegisterDto } from './auth.dto';
import { PasswordService } from './password.service';
import { SessionsService, TokenPair } from './sessions.service';
import { CHALLENGE_TTL_SECONDS, TokenService } from './token.service';
import { TwoFactorService } from './two-factor.service';

export type SignedIn = TokenPair & { user: UserDto };

export type LoginOutcome =
  | ({ requires_2fa: false } & SignedIn)
  | { requires_2fa: true; challenge_token: string; challenge_expires_in: number };

const invalidCredentials = (): AppException =>
  new AppException('AUTH.INVALID_CREDENTIALS', 'The email/username or password is wrong.');
const invalidCode = (): AppException => new AppException('AUTH.INVALID_2FA_CODE', 'The authentication code is wrong, expired or already used.');

/** Registration, sign-in (with lockout and 2FA), token refresh and sign-out. */
@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: UsersService,
    private readonly credentials: UserCredentialsService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly twoFactor: TwoFactorService,
    private readonly apiTokens: ApiTokensService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async register(dto: RegisterDto, context: RequestContext): Promise<SignedIn> {
    this.passwords.assertAcceptable(dto.password, { email: dto.email, username: dto.username });
    const passwordHash = await this.passwords.hash(dto.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.accounts.create(
        {
          email: dto.email,
          username: dto.username ?? null,
          passwordHash,
          firstName: dto.first_name,
          lastName: dto.last_name,
          role: dto.role ?? Role.Client,
          personalityData: dto.personality_data ? { ...dto.personality_data } : null,
        },
        manager,
      );
      await this.audit.record(
        { action: 'user.registered', actorId: user.id, targetType: 'user', targetId: user.id, detail: { role: user.role } },
        context,
        manager,
      );
      const pair = await this.sessions.start(user.id, context, manager);
      return { user: toUserDto(user), ...pair };
    });
  }

  /**
   * Password step. An unknown account and a wrong password answer alike, after the same
   * argon2 work. Repeated failures lock the account for a while. With 2FA on, the answer
   * is a short-lived challenge for `loginSecondFactor` instead of tokens.
   */
  async login(dto: LoginDto, context: RequestContext): Promise<LoginOutcome> {
    const identifier = dto.email ?? dto.username;
    if (dto.email !== undefined && dto.username !== undefined) {
      throw AppException.validation('username', 'Give email or username, not both.');
    }
    if (identifier === undefined) throw AppException.validation('email', 'email or username is required');
    const user = await this.accounts.findForLogin(identifier);
    if (!user?.passwordHash) {
      await this.passwords.burn(dto.password);
      await this.audit.record({ action: 'auth.login_failed', actorId: null, detail: { reason: 'unknown_account' } }, context);
      throw invalidCredentials();
    }
    this.assertNotLocked(user);
    if (!(await this.passwords.verify(user.passwordHash, dto.password))) {
      return this.failed(user, context, 'wrong_password', invalidCredentials());
    }
    await this.refuseSuspended(user, context);
    if (user.twoFactorEnabled) {
      return { requires_2fa: true, challenge_token: this.tokens.signChallenge(user.id), challenge_expires_in: CHALLENGE_TTL_SECONDS };
    }
    return { requires_2fa: false, ...(await this.signIn(user, context, 'password')) };
  }

  /** Second step of a 2FA login: the challenge plus a TOTP code or a recovery code. */
  async loginSecondFactor(dto: LoginSecondFactorDto, context: RequestContext): Promise<SignedIn> {
    const claims = this.tokens.verify(dto.challenge_token, '2fa');
    const user = await this.credentials.findById(claims.sub);
    if (!user || user.status === UserStatus.Deleted || !user.twoFactorEnabled) {
      throw new AppException('AUTH.INVALID_TOKEN', 'The sign-in challenge is no longer valid; sign in again.');
    }
    this.assertNotLocked(user);
    await this.refuseSuspended(user, context);
    const method = await this.twoFactor.verifySecondFactor(user, dto, context);
    if (!method) return this.failed(user, context, 'wrong_2fa_code', invalidCode());
    return this.signIn(user, context, method === 'totp' ? 'password+totp' : 'password+recovery_code');
  }

  refresh(refreshToken: string, context: RequestContext): Promise<TokenPair> {
    return this.sessions.rotate(refreshToken, context);
  }

  /** Ends the credential the request used: its login session, or the API token. */
  async logout(principal: Principal, context: RequestContext): Promise<void> {
    if (principal.sessionId) {
      await this.sessions.revoke(principal.sessionId, 'logout');
      this.sessions.endSockets(principal.userId, { sessionId: principal.sessionId });
    } else {
      await this.apiTokens.revokeUsed(principal, context);
    }
  }

  /**
   * Ends every login session of the caller (API tokens stay: revoke those one by one).
   * Only from a signed-in session: an API token must not end its owner's sessions.
   */
  async logoutAll(principal: Principal, context: RequestContext): Promise<number> {
    requireSession(principal);
    const ended = await this.sessions.revokeAllForUser(principal.userId, 'logout_all');
    // The sockets of the user's API tokens stay, like the tokens.
    this.sessions.endSockets(principal.userId, { sessionsOnly: true });
    await this.audit.record(
      { action: 'auth.logout_all', actorId: principal.userId, targetType: 'user', targetId: principal.userId, detail: { sessions_ended: ended } },
      context,
    );
    return ended;
  }

  private async signIn(user: User, context: RequestContext, method: string): Promise<SignedIn> {
    return this.dataSource.transaction(async (manager) => {
      await this.credentials.recordLogin(user.id, manager);
      const pair = await this.sessions.start(user.id, context, manager);
      await this.audit.record(
        { action: 'auth.login_succeeded', actorId: user.id, targetType: 'user', targetId: user.id, detail: { method } },
        context,
        manager,
      );
      const fresh = await this.credentials.findById(user.id, manager);
      if (!fresh) throw AppException.notFound('User');
      return { user: toUserDto(fresh), ...pair };
    });
  }

  /** Counts a failure atomically; the one that reaches the limit locks the account. Always throws. */
  private async failed(user: User, context: RequestContext, reason: string, error: AppException): Promise<never> {
    const { maxFailures, durationSeconds } = this.config.auth.lockout;
    const lockedUntil = await this.credentials.recordLoginFailure(user.id, { maxFailures, durationSeconds });
    await this.audit.record({ action: 'auth.login_failed', actorId: null, targetType: 'user', targetId: user.id, detail: { reason } }, context);
    if (lockedUntil && new Date(lockedUntil).getTime() > Date.now()) {
      await this.audit.record(
        { action: 'auth.account_locked', actorId: null, targetType: 'user', targetId: user.id, detail: { failures: maxFailures, seconds: durationSeconds } },
        context,
      );
      throw this.locked(new Date(lockedUntil));
    }
    throw error;
  }

  private assertNotLocked(user: User): void {
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) throw this.locked(user.lockedUntil);
  }

  private async refuseSuspended(user: User, context: RequestContext): Promise<void> {
    if (user.status === UserStatus.Suspended) {
      await this.audit.record({ action: 'auth.login_failed', actorId: null, targetType: 'user', targetId: user.id, detail: { reason: 'suspended' } }, context);
      throw new AppException('AUTH.ACCOUNT_SUSPENDED', 'This account is suspended. Contact support if you think this is a mistake.');
    }
  }

  private locked(until: Date): AppException {
    const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
    const minutes = Math.ceil(seconds / 60);
    return new AppException(
      'AUTH.ACCOUNT_LOCKED',
      `Too many failed sign-in attempts: this account is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}. Try again later.`,
      {},
      { 'Retry-After': String(seconds) },
    );
  }
}
