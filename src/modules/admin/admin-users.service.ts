import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { hasPermission, isProvider, isStaff, Permission, Role } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { AuditEvent, AuditService } from 'src/modules/audit/audit.service';
import { PasswordService } from 'src/modules/auth/password.service';
import { SessionsService } from 'src/modules/auth/sessions.service';
import { User, UserStatus } from 'src/modules/users/user.entity';
import { startsVerified, UsersService } from 'src/modules/users/users.service';
import { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { AdminFriendsQueryDto, AdminUpdateUserDto, AdminUsersQueryDto } from './admin.dto';

/** Sorting of the staff user lists (`/admin/users`, `/admin/friends`, `/users`). */
export const ADMIN_USERS_ORDERING = {
  orderable: {
    created_at: 'u.createdAt',
    email: 'u.email',
    first_name: 'u.firstName',
    last_name: 'u.lastName',
    role: 'u.role',
    last_login_at: 'u.lastLoginAt',
  },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

export interface NewStaffUser {
  email: string;
  password: string;
  role: Role;
  firstName?: string;
  lastName?: string;
  username?: string | null;
}

/** Staff tools over accounts: list, verify providers, suspend/reactivate, change roles, create accounts. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly accounts: UsersService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  list(query: AdminUsersQueryDto): Promise<Paginated<User>> {
    const builder = this.filtered(query);
    if (query.role) builder.andWhere('u.role = :role', { role: query.role });
    return this.page(builder, query);
  }

  listFriends(query: AdminFriendsQueryDto): Promise<Paginated<User>> {
    return this.page(this.filtered(query).andWhere('u.role = :role', { role: Role.Friend }), query);
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
      const user = await manager.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user || user.status === UserStatus.Deleted) throw AppException.notFound('User');
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

      if (dto.role !== undefined && dto.role !== user.role) {
        event('admin.role_changed', { from: user.role, to: dto.role });
        user.role = dto.role;
        // A new provider waits for verification (unless verified in this same request).
        user.isVerified = startsVerified(dto.role);
      }
      if (dto.is_verified !== undefined) {
        if (!isProvider(user.role)) throw AppException.validation('is_verified', 'Only therapists and friends are verified.');
        if (dto.is_verified !== user.isVerified || dto.role !== undefined) {
          event(dto.is_verified ? 'admin.provider_verified' : 'admin.provider_unverified');
        }
        user.isVerified = dto.is_verified;
      }
      if (dto.status !== undefined && dto.status !== user.status) {
        event(dto.status === UserStatus.Suspended ? 'admin.user_suspended' : 'admin.user_reactivated');
        user.status = dto.status;
        if (dto.status === UserStatus.Active) {
          user.failedLoginCount = 0;
          user.lockedUntil = null;
        }
      }
      const saved = await manager.getRepository(User).save(user);
      if (saved.status === UserStatus.Suspended) await this.sessions.revokeAllForUser(user.id, 'suspended', { manager });
      for (const e of events) await this.audit.record(e, context, manager);
      return saved;
    });
    if (updated.status === UserStatus.Suspended) this.sessions.endSockets(updated.id, {}, 'suspended');
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

  private filtered(query: AdminFriendsQueryDto): SelectQueryBuilder<User> {
    const builder = this.users.createQueryBuilder('u');
    if (query.status) {
      builder.where('u.status = :status', { status: query.status });
    } else {
      builder.where('u.status <> :deleted', { deleted: UserStatus.Deleted });
    }
    if (query.is_verified !== undefined) builder.andWhere('u.isVerified = :verified', { verified: query.is_verified });
    return builder;
  }

  private page(builder: SelectQueryBuilder<User>, query: AdminFriendsQueryDto): Promise<Paginated<User>> {
    return paginate(builder, query, {
      ...ADMIN_USERS_ORDERING,
      searchable: ['u.email', 'u.username', 'u.firstName', 'u.lastName', "concat_ws(' ', u.firstName, u.lastName)"],
      dateColumn: 'u.createdAt',
      tieBreaker: 'u.id',
    });
  }
}
