import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { User } from './user.entity';

/** How many failed sign-ins lock an account, and for how long. */
export interface LockoutPolicy {
  maxFailures: number;
  durationSeconds: number;
}

/**
 * The sign-in columns of users rows (lockout counters, last sign-in, the TOTP secret and
 * its last accepted step, whether 2FA is on), written for the auth module, which owns
 * what they mean. The SQL on users stays here; auth holds no users repository.
 */
@Injectable()
export class UserCredentialsService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** The account row (any status), or null; in `manager`'s transaction when given. */
  findById(id: string, manager?: EntityManager): Promise<User | null> {
    return (manager?.getRepository(User) ?? this.users).findOneBy({ id });
  }

  /** The account row (any status) locked FOR UPDATE until `manager`'s transaction ends, or null. */
  lockById(id: string, manager: EntityManager): Promise<User | null> {
    return manager.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** A successful sign-in: the failure count and any lock are cleared, and the time is kept. */
  async recordLogin(id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(User).update({ id }, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() });
  }

  /**
   * Counts a failed sign-in atomically; the failure that reaches the limit locks the
   * account (and restarts the count). Returns the lock's end (null: never locked).
   */
  async recordLoginFailure(id: string, policy: LockoutPolicy): Promise<Date | null> {
    const result = await this.users
      .createQueryBuilder()
      .update(User)
      .set({
        failedLoginCount: () => 'CASE WHEN failed_login_count + 1 >= :max THEN 0 ELSE failed_login_count + 1 END',
        lockedUntil: () => 'CASE WHEN failed_login_count + 1 >= :max THEN now() + make_interval(secs => :duration) ELSE locked_until END',
      })
      .where('id = :id', { id })
      .setParameters({ max: policy.maxFailures, duration: policy.durationSeconds })
      .returning('locked_until')
      .execute();
    return (result.raw as Array<{ locked_until: Date | null }>)[0]?.locked_until ?? null;
  }

  /** Stores a new (encrypted) TOTP secret, unless 2FA is already on; the last accepted step is forgotten. */
  async storeTotpSecret(id: string, encryptedSecret: string): Promise<void> {
    await this.users.update({ id, twoFactorEnabled: false }, { totpSecret: encryptedSecret, totpLastStep: null });
  }

  async enableTwoFactor(id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(User).update({ id }, { twoFactorEnabled: true });
  }

  /** 2FA off: the secret and its last step go. */
  async disableTwoFactor(id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(User).update({ id }, { twoFactorEnabled: false, totpSecret: null, totpLastStep: null });
  }

  /**
   * Records `step` as the last accepted TOTP time step, only if it is later than the
   * stored one: of two requests racing with one code, exactly one gets true.
   */
  async acceptTotpStep(id: string, step: number, manager: EntityManager): Promise<boolean> {
    const update = await manager
      .createQueryBuilder()
      .update(User)
      .set({ totpLastStep: step })
      .where('id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)', { id, step })
      .execute();
    return Boolean(update.affected);
  }
}
