import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Role, STAFF_ROLES } from 'src/common/access/permissions';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { EntityManager, In, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { User } from './user.entity';
import { AccountCount, PersonalityData, SignupDay, UserCard, UserLocale, UserStatus } from './users.types';

/** Sorting of the staff account lists (`/admin/users`, `/admin/friends`, `/users`). */
export const ACCOUNTS_ORDERING = {
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

/** Which accounts a staff list shows; without `status`, every account but deleted ones. */
export interface AccountFilter {
  status?: UserStatus;
  isVerified?: boolean;
  role?: Role;
}

const CARD_COLUMNS = { id: true, firstName: true, lastName: true, role: true, status: true, isVerified: true, rateTier: true } as const;

/**
 * Read access to accounts for the other features: who a user is (names, role, status,
 * verification), staff lists, and a join for lists that search or sort by their users.
 * The SQL on `users` stays in this module; nobody else holds its repository.
 */
@Injectable()
export class UserDirectoryService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** One account's card, whatever its status (null: no such account); in `manager`'s transaction when given. */
  find(id: string, manager?: EntityManager): Promise<UserCard | null> {
    return (manager?.getRepository(User) ?? this.users).findOne({ where: { id }, select: CARD_COLUMNS });
  }

  /** The cards of these accounts, whatever their status; unknown ids are left out. */
  async findMany(ids: string[]): Promise<UserCard[]> {
    if (ids.length === 0) return [];
    return this.users.find({ where: { id: In([...new Set(ids)]) }, select: CARD_COLUMNS });
  }

  /** The account's IANA time zone (UTC for an unknown id), for features that group by calendar day. */
  /** What each user told about themselves for matching (HumanLink's personality data); absent ids are missing. */
  async personalityOf(ids: string[]): Promise<Map<string, PersonalityData | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.users.find({ select: { id: true, personalityData: true }, where: { id: In(ids), status: UserStatus.Active } });
    return new Map(rows.map((row) => [row.id, row.personalityData]));
  }

  /** The account's country, language and time zone (defaults for an unknown id): what crisis texts and the companion are fitted to. */
  async locale(id: string): Promise<UserLocale> {
    const user = await this.users.findOne({ where: { id }, select: { id: true, country: true, language: true, timeZone: true } });
    return { country: user?.country ?? null, language: user?.language ?? 'en', timeZone: user?.timeZone ?? 'UTC' };
  }

  async timeZone(id: string): Promise<string> {
    const user = await this.users.findOne({ where: { id }, select: { id: true, timeZone: true } });
    return user?.timeZone ?? 'UTC';
  }

  /** Where to email an active account (an alarm's Haven therapist); null when there is no such active account. */
  async activeEmail(id: string): Promise<string | null> {
    const user = await this.users.findOne({ where: { id, status: UserStatus.Active }, select: { id: true, email: true } });
    return user?.email ?? null;
  }

  /** Where to email each of these accounts that is active, in one query (absent ids: not active or unknown). */
  async activeEmails(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.users.find({ where: { id: In([...new Set(ids)]), status: UserStatus.Active }, select: { id: true, email: true } });
    return new Map(rows.map((row) => [row.id, row.email]));
  }

  /** Whether the account exists and is not deleted (it may be suspended). */
  async exists(id: string): Promise<boolean> {
    const user = await this.find(id);
    return user !== null && user.status !== UserStatus.Deleted;
  }

  /** The ids of the active staff (managers and admins). */
  async activeStaffIds(): Promise<string[]> {
    const staff = await this.users.find({ where: { role: In([...STAFF_ROLES]), status: UserStatus.Active }, select: { id: true } });
    return staff.map((s) => s.id);
  }

  /** "First Last" as the account gives it (empty once erased); null when there is no such account. */
  async displayName(id: string): Promise<string | null> {
    const user = await this.find(id);
    return user ? `${user.firstName} ${user.lastName}`.trim() : null;
  }

  /**
   * For another feature's list that searches or sorts by its users: inner-joins the users
   * row whose id is `userIdColumn` as `alias`, whose fields (`alias.firstName`,
   * `alias.email`, …) the caller's search and ordering may then name. With `mapTo`
   * (`<their alias>.<property>`), the row is loaded onto that property.
   */
  joinUsers<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>, userIdColumn: string, alias: string, mapTo?: string): SelectQueryBuilder<T> {
    const condition = `${alias}.id = ${userIdColumn}`;
    return mapTo ? builder.innerJoinAndMapOne(mapTo, User, alias, condition) : builder.innerJoin(User, alias, condition);
  }

  /** A page of the staff account list; `search` matches names, username and email. */
  listAccounts(filter: AccountFilter, query: PaginationQueryDto): Promise<Paginated<User>> {
    const builder = this.users.createQueryBuilder('u');
    if (filter.status) {
      builder.where('u.status = :status', { status: filter.status });
    } else {
      builder.where('u.status <> :deleted', { deleted: UserStatus.Deleted });
    }
    if (filter.isVerified !== undefined) builder.andWhere('u.isVerified = :verified', { verified: filter.isVerified });
    if (filter.role) builder.andWhere('u.role = :role', { role: filter.role });
    return paginate(builder, query, {
      ...ACCOUNTS_ORDERING,
      searchable: ['u.email', 'u.username', 'u.firstName', 'u.lastName', "concat_ws(' ', u.firstName, u.lastName)"],
      dateColumn: 'u.createdAt',
      tieBreaker: 'u.id',
    });
  }

  /**
   * Every account counted by role, status and verification, in one statement (the
   * operations dashboard). An aggregate over `users` that an index-only scan of
   * ix_users_role_status_verified answers (no table rows read where the visibility map is current).
   */
  async accountCounts(): Promise<AccountCount[]> {
    const rows = await this.users.query<Array<{ role: Role; status: UserStatus; is_verified: boolean; count: number }>>(
      `SELECT role, status, is_verified, count(*)::int AS count FROM users GROUP BY role, status, is_verified ORDER BY role, status, is_verified`,
    );
    return rows.map((row) => ({ role: row.role, status: row.status, isVerified: row.is_verified, count: row.count }));
  }

  /**
   * Accounts created on each of the last `days` UTC calendar days, today included (oldest
   * first, days without sign-ups as 0), in one statement over ix_users_created_at. Deleted
   * accounts still count: a sign-up happened that day.
   */
  async signupsPerDay(days: number, now: Date = new Date()): Promise<SignupDay[]> {
    const rows = await this.users.query<Array<{ day: string; count: number }>>(
      `WITH bounds AS (SELECT (date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC') - ($2::int - 1) * interval '1 day') AS first_day)
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.count, 0)::int AS count
         FROM bounds b
         CROSS JOIN LATERAL generate_series(b.first_day, b.first_day + ($2::int - 1) * interval '1 day', interval '1 day') AS d(day)
         LEFT JOIN (
           SELECT date_trunc('day', u.created_at AT TIME ZONE 'UTC') AS day, count(*) AS count
             FROM users u, bounds b
            WHERE u.created_at >= (b.first_day AT TIME ZONE 'UTC')
            GROUP BY 1
         ) c ON c.day = d.day
        ORDER BY d.day`,
      [now, days],
    );
    return rows.map((row) => ({ day: row.day, count: row.count }));
  }
}
