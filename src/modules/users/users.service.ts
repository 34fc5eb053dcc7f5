import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PROVIDER_ROLES, Role } from 'src/common/access/permissions';
import { Principal, requireSession } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { RequestContext } from 'src/common/http/request-context';
import { HotQueries } from 'src/infrastructure/database/hot-queries.service';
import { MailService } from 'src/infrastructure/mail/mail.service';
import { AuditService } from 'src/modules/audit/audit.service';
import { DataSource, EntityManager, Not, QueryFailedError, Repository } from 'typeorm';
import { AccountSecurity, PasswordChangeEffects } from './account-security';
import { User } from './user.entity';
import { DeleteAccountDto, PublicUserDto, toPublicUserDto, toUserDto, UpdateMeDto, UserDto } from './users.dto';
import { AccountErasure } from './account-erasure';
import { ProfileChangeHooks } from './profile-change-hooks';
import { USER_PROFILE_SQL, UserProfileRow } from './users.sql';
import { PersonalityData, SubscriptionProjection, UserStatus } from './users.types';

export interface NewUser {
  email: string;
  username?: string | null;
  passwordHash: string;
  firstName: string;
  lastName: string;
  role: Role;
  personalityData?: PersonalityData | null;
}

// Serialises changes that could leave Haven without an active admin.
const LAST_ADMIN_LOCK_KEY = 7_261_340_003;

/** Therapists and friends wait for staff to verify them; everyone else is verified from the start. */
export function startsVerified(role: Role): boolean {
  return !(PROVIDER_ROLES as readonly Role[]).includes(role);
}

/** Turns a unique-index violation on users into the 409 the client should see (null: not one of ours). */
export function userConflict(error: unknown): AppException | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = error.driverError as { code?: string; constraint?: string };
  if (driverError.code !== '23505') return null;
  if (driverError.constraint === 'uq_users_email_lower') return emailTaken();
  if (driverError.constraint === 'uq_users_username_lower') return usernameTaken();
  return null;
}

const emailTaken = (): AppException =>
  new AppException('USERS.EMAIL_TAKEN', 'An account with this email already exists.', { email: ['An account with this email already exists.'] });
const usernameTaken = (): AppException =>
  new AppException('USERS.USERNAME_TAKEN', 'This username is taken.', { username: ['This username is taken.'] });

/** What staff may change about an account (the admin module decides who may change what). */
export interface StaffChange {
  role?: Role;
  isVerified?: boolean;
  status?: UserStatus.Active | UserStatus.Suspended;
}

/**
 * Accounts: creation, lookup, the user's own profile, erasure, and staff changes. The
 * credential side (passwords, second factors, sessions) is the auth module's, reached
 * through AccountSecurity, which users declares and auth provides.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly security: AccountSecurity,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly profileChanges: ProfileChangeHooks,
    private readonly hot: HotQueries,
    private readonly erasure: AccountErasure,
  ) {}

  /** Inserts an account (the unique indexes on lower(email) / lower(username) have the last word). */
  async create(input: NewUser, manager: EntityManager): Promise<User> {
    await this.assertEmailFree(input.email, null, manager);
    if (input.username) await this.assertUsernameFree(input.username, null, manager);
    const repository = manager.getRepository(User);
    try {
      return await repository.save(
        repository.create({
          email: input.email,
          username: input.username ?? null,
          passwordHash: input.passwordHash,
          firstName: input.firstName,
          lastName: input.lastName,
          role: input.role,
          isVerified: startsVerified(input.role),
          personalityData: input.personalityData ?? null,
          passwordChangedAt: new Date(),
        }),
      );
    } catch (error) {
      throw userConflict(error) ?? error;
    }
  }

  /** The account a login identifier names: an email (contains @) or a username, ignoring case. Deleted accounts are gone. */
  findForLogin(identifier: string): Promise<User | null> {
    const value = identifier.trim();
    const column = value.includes('@') ? 'email' : 'username';
    return this.users
      .createQueryBuilder('u')
      .where(`lower(u.${column}) = lower(:value)`, { value })
      .andWhere('u.status <> :deleted', { deleted: UserStatus.Deleted })
      .getOne();
  }

  async me(userId: string): Promise<UserDto> {
    return toUserDto(await this.profile(userId));
  }

  /** Another user's public card; unknown and deleted ids are a 404. */
  async publicProfile(id: string): Promise<PublicUserDto> {
    return toPublicUserDto(await this.profile(id));
  }

  /** Applies the caller's own changes in one transaction: all of them or none. */
  async updateMe(principal: Principal, dto: UpdateMeDto, context: RequestContext): Promise<UserDto> {
    const credentialChange = dto.email !== undefined || dto.password !== undefined;
    if (credentialChange) {
      requireSession(principal);
      if (dto.current_password === undefined) {
        throw AppException.validation('current_password', 'current_password is required to change email or password');
      }
    }
    let passwordChange: (PasswordChangeEffects & { at: Date }) | null = null;
    const updated = await this.dataSource.transaction(async (manager) => {
      const user = await this.lockExisting(principal.userId, manager);
      if (credentialChange) await this.security.assertPassword(user, dto.current_password!, 'current_password');
      if (dto.first_name !== undefined) user.firstName = dto.first_name;
      if (dto.last_name !== undefined) user.lastName = dto.last_name;
      if (dto.username !== undefined && dto.username?.toLowerCase() !== user.username?.toLowerCase()) {
        if (dto.username) await this.assertUsernameFree(dto.username, user.id, manager);
      }
      if (dto.username !== undefined) user.username = dto.username;
      if (dto.time_zone !== undefined) user.timeZone = dto.time_zone;
      if (dto.country !== undefined) user.country = dto.country;
      if (dto.language !== undefined) user.language = dto.language;
      if (dto.personality_data !== undefined) {
        user.personalityData = dto.personality_data === null ? null : { ...user.personalityData, ...definedOnly(dto.personality_data) };
      }
      const emailChanged = dto.email !== undefined && dto.email !== user.email;
      if (emailChanged) {
        if (dto.email!.toLowerCase() !== user.email.toLowerCase()) await this.assertEmailFree(dto.email!, user.id, manager);
        user.email = dto.email!;
      }
      if (dto.password !== undefined) {
        user.passwordHash = await this.security.hashNewPassword(dto.password, { email: user.email, username: user.username });
        user.passwordChangedAt = new Date();
      }
      let saved: User;
      try {
        saved = await manager.getRepository(User).save(user);
      } catch (error) {
        throw userConflict(error) ?? error;
      }
      if (emailChanged) {
        await this.audit.record({ action: 'user.email_changed', actorId: user.id, targetType: 'user', targetId: user.id }, context, manager);
      }
      if (dto.password !== undefined) {
        // Whoever knew the old password may hold the other sessions and API tokens too: all of them end.
        const effects = await this.security.passwordChanged(user.id, principal.sessionId, context, manager);
        passwordChange = { ...effects, at: saved.passwordChangedAt ?? new Date() };
      }
      return toUserDto(saved);
    });
    if (passwordChange) {
      this.security.endSockets(principal.userId, { exceptSessionId: principal.sessionId });
      await this.tellPasswordChanged(updated, passwordChange);
    }
    if (dto.personality_data !== undefined) await this.profileChanges.changed(principal.userId);
    return updated;
  }

  /** The owner hears of a password change by email: what ended, and what to do if it was not them. */
  private async tellPasswordChanged(user: UserDto, change: PasswordChangeEffects & { at: Date }): Promise<void> {
    const tokens = change.apiTokensRevoked === 1 ? '1 API token was' : `${change.apiTokensRevoked} API tokens were`;
    const sessions = change.sessionsEnded === 1 ? '1 other session was' : `${change.sessionsEnded} other sessions were`;
    await this.mail.send({
      to: user.email,
      subject: 'Your Haven password was changed',
      text:
        `Your Haven password was changed at ${change.at.toISOString()}.\n\n` +
        `For your safety, ${sessions} signed out and ${tokens} revoked. Create new API tokens where you still need them.\n\n` +
        'If you did not change your password, reset it at once and contact support.',
      idempotencyKey: `password-changed:${user.id}:${change.at.getTime()}`,
      userIds: [user.id],
    });
  }

  /**
   * Erases the account (GDPR): every feature's eraser runs in this one transaction
   * (AccountErasure), so personal data everywhere is deleted or anonymised, every session and
   * API token goes, and nobody can sign in to it again. Needs the password (and a 2FA
   * code when 2FA is on). The row stays, anonymous, so references from other data hold.
   */
  async deleteMe(principal: Principal, dto: DeleteAccountDto, context: RequestContext): Promise<void> {
    requireSession(principal);
    const afterErasure = await this.dataSource.transaction(async (manager) => {
      const user = await this.lockExisting(principal.userId, manager);
      await this.security.assertPassword(user, dto.password, 'password');
      if (user.twoFactorEnabled) await this.security.assertSecondFactor(user, dto, context, manager, 'A valid authentication code is required to delete this account.');
      if (user.role === Role.Admin) await this.assertNotLastAdmin(user.id, manager);
      const steps = await this.erasure.eraseAll(user.id, manager);
      await this.audit.record({ action: 'user.deleted', actorId: user.id, targetType: 'user', targetId: user.id }, context, manager);
      return steps;
    });
    this.security.endSockets(principal.userId, {});
    await this.erasure.afterCommit(afterErasure);
  }

  /**
   * Refuses (409) when `userId` is the only active admin. Call inside the transaction that
   * demotes, suspends or deletes them: an advisory lock makes concurrent calls take turns.
   */
  async assertNotLastAdmin(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [LAST_ADMIN_LOCK_KEY]);
    const others = await manager.getRepository(User).countBy({ role: Role.Admin, status: UserStatus.Active, id: Not(userId) });
    if (others === 0) throw new AppException('USERS.LAST_ADMIN', 'This is the last active admin; make someone else admin first.');
  }

  /** For a staff change: the account row locked until `manager`'s transaction ends; null when unknown or deleted. */
  async lockForStaffChange(id: string, manager: EntityManager): Promise<User | null> {
    const user = await manager.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return !user || user.status === UserStatus.Deleted ? null : user;
  }

  /**
   * Stores a staff change to a row from lockForStaffChange (in the same transaction) and
   * returns it saved. Reactivating an account also lifts a sign-in lockout.
   */
  async applyStaffChange(user: User, change: StaffChange, manager: EntityManager): Promise<User> {
    if (change.role !== undefined) user.role = change.role;
    if (change.isVerified !== undefined) user.isVerified = change.isVerified;
    if (change.status !== undefined && change.status !== user.status) {
      user.status = change.status;
      if (change.status === UserStatus.Active) {
        user.failedLoginCount = 0;
        user.lockedUntil = null;
      }
    }
    return manager.getRepository(User).save(user);
  }

  /**
   * The payments module's projection of a user's subscription onto the account, written in
   * its transaction. A changed rate tier reaches every API node at once: the principal
   * cache drops the user on the database's change notice.
   */
  async applySubscription(userId: string, projection: SubscriptionProjection, manager: EntityManager): Promise<void> {
    await manager.getRepository(User).update({ id: userId }, { subscriptionStatus: projection.subscriptionStatus, rateTier: projection.rateTier });
  }

  /** The profile fields of an account that was not deleted, as a plain row (a hot read: one prepared statement). */
  private async profile(id: string): Promise<UserProfileRow> {
    const [user] = await this.hot.query<UserProfileRow>('user_profile', USER_PROFILE_SQL, [id]);
    if (!user) throw AppException.notFound('User');
    return user;
  }

  private async lockExisting(id: string, manager: EntityManager): Promise<User> {
    const user = await manager.getRepository(User).findOne({ where: { id, status: Not(UserStatus.Deleted) }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw AppException.notFound('User');
    return user;
  }

  private async assertEmailFree(email: string, exceptId: string | null, manager: EntityManager): Promise<void> {
    const query = manager.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email });
    if (exceptId) query.andWhere('u.id <> :exceptId', { exceptId });
    if (await query.getExists()) throw emailTaken();
  }

  private async assertUsernameFree(username: string, exceptId: string | null, manager: EntityManager): Promise<void> {
    const query = manager.getRepository(User).createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username });
    if (exceptId) query.andWhere('u.id <> :exceptId', { exceptId });
    if (await query.getExists()) throw usernameTaken();
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
