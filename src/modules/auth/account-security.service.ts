import { Injectable } from '@nestjs/common';
import { RequestContext } from 'src/common/http/request-context';
import { AuditService } from 'src/modules/audit/audit.service';
import { AccountSecurity, PasswordChangeEffects } from 'src/modules/users/account-security';
import type { TwoFactorCodeFields } from 'src/modules/users/two-factor-code.fields';
import type { User } from 'src/modules/users/user.entity';
import { EntityManager } from 'typeorm';
import { ApiTokensService } from './api-tokens.service';
import { PasswordService } from './password.service';
import { SessionsService } from './sessions.service';
import { TwoFactorService } from './two-factor.service';

/**
 * The auth side of the account operations the users module runs (a password change):
 * auth's implementation of the AccountSecurity that users declares,
 * so that users never imports auth.
 */
@Injectable()
export class AccountSecurityService extends AccountSecurity {
  constructor(
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly twoFactor: TwoFactorService,
    private readonly audit: AuditService,
  ) {
    super();
  }

  assertPassword(user: User, password: string, field: string): Promise<void> {
    return this.passwords.assertCorrect(user.passwordHash, password, field);
  }

  async hashNewPassword(password: string, owner: { email: string; username: string | null }): Promise<string> {
    this.passwords.assertAcceptable(password, owner);
    return this.passwords.hash(password);
  }

  assertSecondFactor(user: User, factor: TwoFactorCodeFields, context: RequestContext, manager: EntityManager, message: string): Promise<void> {
    return this.twoFactor.assertSecondFactor(user, factor, context, manager, message);
  }

  async passwordChanged(userId: string, keepSessionId: string | null, context: RequestContext, manager: EntityManager): Promise<PasswordChangeEffects> {
    const sessionsEnded = await this.sessions.revokeAllForUser(userId, 'password_changed', { exceptSessionId: keepSessionId, manager });
    const apiTokensRevoked = await this.apiTokens.revokeAllForUser(userId, manager);
    await this.audit.record(
      {
        action: 'auth.password_changed',
        actorId: userId,
        targetType: 'user',
        targetId: userId,
        detail: { other_sessions_ended: sessionsEnded, api_tokens_revoked: apiTokensRevoked },
      },
      context,
      manager,
    );
    return { sessionsEnded, apiTokensRevoked };
  }

  endSockets(userId: string, scope: { exceptSessionId?: string | null }): void {
    this.sessions.endSockets(userId, scope);
  }
}
