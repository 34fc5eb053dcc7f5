import { Injectable } from '@nestjs/common';
import { hasPermission, isProvider, isStaff, Permission, Role } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { AuditEvent, AuditService } from 'src/modules/audit/audit.service';
import { PasswordService } from 'src/modules/auth/password.service';
import { SessionsService } from 'src/modules/auth/sessions.service';
import { ACCOUNTS_ORDERING, UserDirectoryService } from 'src/modules/users/user-directory.service';
import type { User } from 'src/modules/users/user.entity';
import { StaffChange, startsVerified, UsersService } from 'src/modules/users/users.service';
import { UserStatus } from 'src/modules/users/users.types';
import { DataSource } from 'typeorm';
import { AdminFriendsQueryDto, AdminUpdateUserDto, AdminUsersQueryDto } from './admin.dto';

/** Sorting of the staff user lists (`/admin/users`, `/admin/friends`, `/users`). */
export const ADMIN_USERS_ORDERING = ACCOUNTS_ORDERING;

export interface NewStaffUser {
  email: string;
  password: string;
  role: Role;
  firstName?: string;
  lastName?: string;
  username?: string | null;
}

/**
 * Staff tools over accounts: list, verify providers, suspend/reactivate, change roles,
 * create accounts. Who may change what is decided here; the rows are read and written
 * through the users module's exported services.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: UserDirectoryService,
    private readonly accounts: UsersService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  list(query: AdminUsersQueryDto): Promise<Paginated<User>> {
    return this.directory.listAccounts({ status: query.status, isVerified: query.is_verified, role: query.role }, query);
  }

  listFriends(query: AdminFriendsQueryDto): Promise<Paginated<User>> {
    return this.directory.listAccounts({ status: query.status, isVerified: query.is_verified, role: Role.Friend }, query);
  }

  /**
   * Applies a staff change. Managers may verify providers and suspend or reactivate
   * clients and providers; changing roles, or touching manager and admin accounts,
   * needs `roles:manage` (admins). Nobody removes the last active admin.
   */
  async update(actor: Principal, id: string, dto: AdminUpdateUserDto, context: RequestContext): Promise<User> {
    if (dto.is_verified === undefined && dto.status === undefined && dto.role === undefined) {
      throw new AppException('COMMON.VALIDATION_FAILED', 'Nothing to change.', { non_field_errors: ['Give is_verified, status or role.'] });
    }
    const canManageRoles = hasPermission(actor, Permission.RolesManage);
    const updated = await this.dataSource.transaction(async (manager) => {
      const user = await this.accounts.lockForStaffChange(id, manager);
      if (!user) throw AppException.notFound('User');
      if (dto.role !== undefined && dto.role !== user.role && !canManageRoles) {
        throw new AppException('ADMIN.CHANGE_FORBIDDEN', 'Only admins can change roles.', { role: ['Only admins can change roles.'] });
      }
      if (isStaff(user.role) && !canManageRoles) {
        throw new AppException('ADMIN.CHANGE_FORBIDDEN', 'Only admins can change manager and admin accounts.');
      }
      const events: AuditEvent[] = [];
      const event = (action: AuditEvent['action'], detail: Record<string, unknown> = {}): void => {
        events.push({ action, actorId: actor.userId, targetType: 'user', targetId: user.id, detail: { ...detail, ...(dto.reason ? { reason: dto.reason } : {}) } });
      };
      const losesAdmin =
        user.role === Role.Admin &&
        user.status === UserStatus.Active &&
        ((dto.role !== undefined && dto.role !== Role.Admin) || dto.status === UserStatus.Suspended);
      if (losesAdmin) await this.accounts.assertNotLastAdmin(user.id, manager);

      const change: StaffChange = {};
      if (dto.role !== undefined && dto.role !== user.role) {
        event('admin.role_changed', { from: user.role, to: dto.role });
        change.role = dto.role;
        // A new provider waits for verification (unless verified in this same request).
        change.isVerified = startsVerified(dto.role);
      }
      if (dto.is_verified !== undefined) {
        if (!isProvider(change.role ?? user.role)) throw AppException.validation('is_verified', 'Only therapists and friends are verified.');
        if (dto.is_verified !== (change.isVerified ?? user.isVerified) || dto.role !== undefined) {
          event(dto.is_verified ? 'admin.provider_verified' : 'admin.provider_unverified');
        }
        change.isVerified = dto.is_verified;
      }
      if (dto.status !== undefined && dto.status !== user.status) {
        event(dto.status === UserStatus.Suspended ? 'admin.user_suspended' : 'admin.user_reactivated');
        change.status = dto.status;
      }
      const saved = await this.accounts.applyStaffChange(user, change, manager);
      if (saved.status === UserStatus.Suspended) await this.sessions.revokeAllForUser(user.id, 'suspended', { manager });
      for (const e of events) await this.audit.record(e, context, manager);
      return saved;
    });
    if (updated.status === UserStatus.Suspended) this.sessions.endSockets(updated.id, {}, 'suspended');
    else this.sessions.principalChanged(updated.id);
    return updated;
  }

  /** Creates an account with any role, for the create-admin command (and tests): no self-service rules apply. */
  async createUser(input: NewStaffUser, context: RequestContext, actorId: string | null = null): Promise<User> {
    this.passwords.assertAcceptable(input.password, { email: input.email, username: input.username });
    const passwordHash = await this.passwords.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.accounts.create(
        {
          email: input.email,
          username: input.username ?? null,
          passwordHash,
          firstName: input.firstName ?? '',
          lastName: input.lastName ?? '',
          role: input.role,
        },
        manager,
      );
      await this.audit.record(
        { action: 'admin.user_created', actorId, targetType: 'user', targetId: user.id, detail: { role: user.role } },
        context,
        manager,
      );
      return user;
    });
  }
}
