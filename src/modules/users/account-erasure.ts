import { Injectable, Logger } from '@nestjs/common';
import { safeErrorMessage } from 'src/infrastructure/logging/safe-error';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { EntityManager } from 'typeorm';
import { AfterErasure, ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from './personal-data';
import { User } from './user.entity';
import { UserStatus } from './users.types';
import { AuditService } from 'src/modules/audit/audit.service';

/**
 * The account row itself, and the infrastructure tables (mail, jobs, the audit log) that no
 * feature owns: what erasure does to each.
 */
@Injectable()
export class UsersPersonalData extends FeaturePersonalData {
  readonly feature = 'users';
  readonly tables = new Map([
    ['users', 'kept as an anonymous row (so references hold and it shows as a deleted account): email, username, password, names, 2FA secrets and personality data removed, time zone and country reset; status deleted'],
    ['mail_messages', 'deleted: every message to or about the account, sent or queued'],
    ['audit_log', 'kept unchanged: the security record the law asks for (ids, actions, times, request address; never names, emails or texts); append-only by trigger'],
    ['background_jobs', 'no personal data: payloads carry ids only; a pending job of erased data finds nothing and ends'],
    ['job_failures', 'no personal data: payloads carry ids only'],
    ['job_probe_runs', 'no personal data: queue diagnostics'],
    ['schema_migrations', 'no personal data'],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {
    super(registry);
  }

  /** The account (without its secrets), the security record about it and the mail Haven sent to or about it. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const [account] = await rowsNaming(manager, 'users', ['id'], userId, ['password_hash', 'totp_secret', 'totp_last_step']);
    const audit = await this.audit.entriesAbout(userId, manager);
    const mail = await this.mail.sentAbout(userId, manager);
    return {
      account: account ?? null,
      security_log: audit.map((e) => ({ occurred_at: e.occurredAt, action: e.action, actor_id: e.actorId, target_type: e.targetType, target_id: e.targetId, ip: e.ip, detail: e.detail })),
      mail: mail.map((m) => ({ to: m.toAddress, subject: m.subject, status: m.status, created_at: m.createdAt, sent_at: m.sentAt })),
    };
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(User).update(
      { id: userId },
      {
        email: `deleted-${userId}@deleted.invalid`,
        username: null,
        passwordHash: null,
        firstName: '',
        lastName: '',
        personalityData: null,
        isVerified: false,
        twoFactorEnabled: false,
        totpSecret: null,
        totpLastStep: null,
        failedLoginCount: 0,
        lockedUntil: null,
        lastLoginAt: null,
        timeZone: 'UTC',
        country: null,
        status: UserStatus.Deleted,
        deletedAt: new Date(),
      },
    );
    await this.mail.forgetUser(userId, manager);
  }
}

/** Runs every feature's eraser for one account: all in the caller's transaction, then their after-commit steps. */
@Injectable()
export class AccountErasure {
  private readonly logger = new Logger('Erasure');

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly account: UsersPersonalData,
  ) {}

  /** Runs every feature's erasure in `manager`'s transaction; returns what to run once it committed (`afterCommit`). */
  async eraseAll(userId: string, manager: EntityManager): Promise<AfterErasure[]> {
    // The account row last: the erasers before it may still read the name they must remove (notification texts).
    const owners = this.registry.all().filter((owner) => owner !== this.account);
    const steps: AfterErasure[] = [];
    for (const owner of [...owners, this.account]) {
      const step = await owner.erase(userId, manager);
      if (step) steps.push(step);
    }
    return steps;
  }

  async afterCommit(steps: AfterErasure[]): Promise<void> {
    for (const step of steps) await step().catch((error: unknown) => this.logger.warn(`an after-erasure step failed: ${safeErrorMessage(error)}`));
  }
}
