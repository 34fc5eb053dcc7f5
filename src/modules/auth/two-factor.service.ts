import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import { Principal, requireSession } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { RequestContext } from 'src/common/http/request-context';
import { AppConfig } from 'src/config/app-config';
import { FieldEncryptionService } from 'src/infrastructure/crypto/field-encryption.service';
import { randomReadable, sha256Hex } from 'src/infrastructure/crypto/secret-tokens';
import { AuditService } from 'src/modules/audit/audit.service';
import { UserCredentialsService } from 'src/modules/users/user-credentials.service';
import type { User } from 'src/modules/users/user.entity';
import { UserStatus } from 'src/modules/users/users.types';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { PasswordService } from './password.service';
import { RecoveryCode } from './recovery-code.entity';

export const RECOVERY_CODE_COUNT = 10;
// Accept the code of the previous and next 30-second step too (clock drift).
const TOTP_TOLERANCE_SECONDS = 30;

export interface SecondFactor {
  code?: string;
  recovery_code?: string;
}

const secretContext = (userId: string): string => `users.totp_secret:${userId}`;

/** Recovery codes are typed by hand: ignore case, spaces and dashes. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const wrongCode = (): AppException =>
  new AppException('AUTH.WRONG_2FA_CODE', 'The authentication code is not valid.', { code: ['The code is wrong, expired or already used.'] });

/**
 * TOTP two-factor authentication (RFC 6238, any authenticator app): setup, enable after
 * a first valid code, recovery codes, disable. The secret is encrypted at rest; a code
 * is accepted at most once; recovery codes are stored hashed and work once each.
 */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly credentials: UserCredentialsService,
    private readonly passwords: PasswordService,
    private readonly encryption: FieldEncryptionService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Step 1: a new secret and its otpauth:// URI (for a QR code). 2FA stays off until `enable`. */
  async setup(principal: Principal, password: string): Promise<{ secret: string; otpauth_uri: string }> {
    requireSession(principal);
    const user = await this.activeUser(principal.userId);
    if (user.twoFactorEnabled) throw new AppException('AUTH.TWO_FACTOR_ALREADY_ENABLED', 'Two-factor authentication is already on.');
    await this.assertPassword(user, password, 'password');
    const secret = generateSecret();
    await this.credentials.storeTotpSecret(user.id, this.encryption.encrypt(secret, secretContext(user.id)));
    return { secret, otpauth_uri: generateURI({ issuer: this.config.auth.totpIssuer, label: user.email, secret }) };
  }

  /** Step 2: the first valid code turns 2FA on; returns the recovery codes, shown this once. */
  async enable(principal: Principal, code: string, context: RequestContext): Promise<string[]> {
    requireSession(principal);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.activeUser(principal.userId, manager);
      if (user.twoFactorEnabled) throw new AppException('AUTH.TWO_FACTOR_ALREADY_ENABLED', 'Two-factor authentication is already on.');
      if (!user.totpSecret) throw new AppException('AUTH.TWO_FACTOR_NOT_SET_UP', 'Start with POST /api/v1/auth/2fa/setup.');
      const step = await this.acceptTotp(user, code, manager);
      if (step === null) throw wrongCode();
      await this.credentials.enableTwoFactor(user.id, manager);
      const codes = await this.replaceRecoveryCodes(user.id, manager);
      await this.audit.record({ action: 'auth.2fa_enabled', actorId: user.id, targetType: 'user', targetId: user.id }, context, manager);
      return codes;
    });
  }

  /** Turns 2FA off; needs the password and a current code (or a recovery code). */
  async disable(principal: Principal, password: string, factor: SecondFactor, context: RequestContext): Promise<void> {
    requireSession(principal);
    await this.dataSource.transaction(async (manager) => {
      const user = await this.activeUser(principal.userId, manager);
      if (!user.twoFactorEnabled) throw new AppException('AUTH.TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not on.');
      await this.assertPassword(user, password, 'password');
      const method = await this.verifySecondFactor(user, factor, context, manager);
      if (!method) throw wrongCode();
      await this.credentials.disableTwoFactor(user.id, manager);
      await manager.getRepository(RecoveryCode).delete({ userId: user.id });
      await this.audit.record(
        { action: 'auth.2fa_disabled', actorId: user.id, targetType: 'user', targetId: user.id, detail: { method } },
        context,
        manager,
      );
    });
  }

  /** New recovery codes (the old ones stop working); needs the password and a code. */
  async regenerateRecoveryCodes(principal: Principal, password: string, factor: SecondFactor, context: RequestContext): Promise<string[]> {
    requireSession(principal);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.activeUser(principal.userId, manager);
      if (!user.twoFactorEnabled) throw new AppException('AUTH.TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not on.');
      await this.assertPassword(user, password, 'password');
      if (!(await this.verifySecondFactor(user, factor, context, manager))) throw wrongCode();
      const codes = await this.replaceRecoveryCodes(user.id, manager);
      await this.audit.record({ action: 'auth.recovery_codes_regenerated', actorId: user.id, targetType: 'user', targetId: user.id }, context, manager);
      return codes;
    });
  }

  /** Like verifySecondFactor, but a wrong or missing code is a 400 AUTH.WRONG_2FA_CODE with `message`. */
  async assertSecondFactor(user: User, factor: SecondFactor, context: RequestContext, manager: EntityManager, message: string): Promise<void> {
    if (!(await this.verifySecondFactor(user, factor, context, manager))) {
      throw new AppException('AUTH.WRONG_2FA_CODE', message, { code: ['Give a current code (or a recovery code) from your authenticator.'] });
    }
  }

  /**
   * Checks a second factor for a user with 2FA on and consumes it: a TOTP code is
   * accepted once, a recovery code is used up (and audited). Null when it does not match.
   * Exactly one of `code` and `recovery_code` must be given.
   */
  async verifySecondFactor(
    user: User,
    factor: SecondFactor,
    context: RequestContext,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<'totp' | 'recovery_code' | null> {
    if ((factor.code === undefined) === (factor.recovery_code === undefined)) {
      throw AppException.validation('code', 'Give either code (from the authenticator app) or recovery_code.');
    }
    if (factor.code !== undefined) return (await this.acceptTotp(user, factor.code, manager)) === null ? null : 'totp';
    const result = await manager
      .getRepository(RecoveryCode)
      .update({ userId: user.id, codeHash: sha256Hex(normaliseRecoveryCode(factor.recovery_code!)), usedAt: IsNull() }, { usedAt: new Date() });
    if (!result.affected) return null;
    const remaining = await manager.getRepository(RecoveryCode).countBy({ userId: user.id, usedAt: IsNull() });
    await this.audit.record(
      { action: 'auth.recovery_code_used', actorId: user.id, targetType: 'user', targetId: user.id, detail: { remaining } },
      context,
      manager,
    );
    return 'recovery_code';
  }

  /** Account erasure: the secret and recovery codes go. */
  async wipe(userId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(RecoveryCode).delete({ userId });
  }

  /** Verifies a TOTP code and records its time step so it cannot be replayed; the step, or null. */
  private async acceptTotp(user: User, code: string, manager: EntityManager): Promise<number | null> {
    if (!user.totpSecret || !/^\d{6}$/.test(code)) return null;
    const secret = this.encryption.decrypt(user.totpSecret, secretContext(user.id));
    const result = await verify({
      secret,
      token: code,
      epochTolerance: TOTP_TOLERANCE_SECONDS,
      ...(user.totpLastStep !== null ? { afterTimeStep: user.totpLastStep } : {}),
    });
    if (!result.valid || !('timeStep' in result)) return null;
    // Conditional on the step we read, so two requests racing with one code cannot both pass.
    return (await this.credentials.acceptTotpStep(user.id, result.timeStep, manager)) ? result.timeStep : null;
  }

  private async replaceRecoveryCodes(userId: string, manager: EntityManager): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => randomReadable(16).replace(/(.{4})(?!$)/g, '$1-'));
    const repository = manager.getRepository(RecoveryCode);
    await repository.delete({ userId });
    await repository.insert(codes.map((code) => ({ userId, codeHash: sha256Hex(normaliseRecoveryCode(code)) })));
    return codes;
  }

  /** The caller's account; inside a transaction (`manager` given) the row stays locked until it ends. */
  private async activeUser(userId: string, manager?: EntityManager): Promise<User> {
    const user = manager ? await this.credentials.lockById(userId, manager) : await this.credentials.findById(userId);
    if (user?.status !== UserStatus.Active) throw AppException.notFound('User');
    return user;
  }

  private assertPassword(user: User, password: string, field: string): Promise<void> {
    return this.passwords.assertCorrect(user.passwordHash, password, field);
  }
}
