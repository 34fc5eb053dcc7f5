import { AppConfig } from 'src/config/app-config';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Principal, RateTier } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { RequestContext } from 'src/common/http/request-context';
import { HotQueries } from 'src/infrastructure/database/hot-queries.service';
import { RealtimeServer, SocketRevocation } from 'src/infrastructure/realtime/realtime.server';
import { Role } from 'src/common/access/permissions';
import { AuditService } from 'src/modules/audit/audit.service';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UserStatus } from 'src/modules/users/users.types';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { EntityManager, IsNull, MoreThan, Not, Repository } from 'typeorm';
import { AuthSession } from './auth-session.entity';
import { PrincipalCache } from './principal-cache';
import { AccessClaims, TokenService } from './token.service';

/** Sorting of your sessions. */
export const SESSIONS_ORDERING = {
  orderable: { last_used_at: 's.lastUsedAt', created_at: 's.createdAt' },
  defaultOrdering: '-last_used_at',
} satisfies ListOrdering;

/** An access/refresh token pair as handed to clients. */
export interface TokenPair {
  access: string;
  refresh: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
}


export type RevokeReason = 'revoked_by_user' | 'logout' | 'logout_all' | 'password_changed' | 'token_reuse' | 'suspended' | 'account_deleted' | 'user_inactive';

/**
 * The live state behind an access token: its session and the account's role, status and
 * verification, in one row. The one statement of the auth module that reads the users
 * table (the per-request check; everything else goes through the users module).
 */
const SESSION_PRINCIPAL_SQL = `
SELECT s.revoked_at, s.expires_at, u.role, u.status, u.is_verified, u.rate_tier
  FROM auth_sessions s JOIN users u ON u.id = s.user_id
 WHERE s.id = $1 AND s.user_id = $2`;

interface PrincipalRow {
  revoked_at: Date | null;
  expires_at: Date;
  role: Role;
  status: UserStatus;
  is_verified: boolean;
  rate_tier: RateTier;
}

const sessionEnded = (): AppException => new AppException('AUTH.SESSION_REVOKED', 'This session has ended; sign in again.');

/**
 * Login sessions (refresh-token families): start, rotate with reuse detection, revoke,
 * and resolve the caller of an access token.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(AuthSession) private readonly sessions: Repository<AuthSession>,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly realtime: RealtimeServer,
    private readonly directory: UserDirectoryService,
    private readonly hot: HotQueries,
    private readonly principals: PrincipalCache,
    private readonly config: AppConfig,
  ) {}

  /** Opens a session for a user who just proved who they are. */
  async start(userId: string, context: RequestContext, manager?: EntityManager): Promise<TokenPair> {
    const repository = manager?.getRepository(AuthSession) ?? this.sessions;
    const now = new Date();
    // The user's own sessions that ended longer than RETENTION_SESSIONS_DAYS ago go now too (the retention job sweeps everyone's).
    const keepDays = this.config.retention.days.sessions;
    if (keepDays !== null) {
      await repository
        .createQueryBuilder()
        .delete()
        .where(`user_id = :userId AND least(revoked_at, expires_at) < now() - make_interval(days => :days)`, { userId, days: keepDays })
        .execute();
    }
    const session = await repository.save(
      repository.create({
        userId,
        generation: 0,
        lastUsedAt: now,
        expiresAt: new Date(now.getTime() + this.tokens.refreshTtlSeconds * 1000),
        ip: context.ip?.slice(0, 64) ?? null,
        userAgent: context.userAgent,
      }),
    );
    return this.pair(userId, session.id, 0);
  }

  /**
   * Exchanges a refresh token for a new pair. The presented token dies. Presenting a
   * token that was already exchanged means someone else holds the family: the whole
   * session is revoked, so neither the thief nor the owner can refresh again.
   */
  async rotate(refreshToken: string, context: RequestContext): Promise<TokenPair> {
    const claims = this.tokens.verify(refreshToken, 'refresh');
    const result = await this.sessions
      .createQueryBuilder()
      .update(AuthSession)
      .set({
        generation: () => 'generation + 1',
        lastUsedAt: () => 'now()',
        expiresAt: () => 'now() + make_interval(secs => :ttl)',
      })
      .where('id = :sid AND user_id = :sub AND generation = :gen AND revoked_at IS NULL AND expires_at > now()')
      .setParameters({ sid: claims.sid, sub: claims.sub, gen: claims.gen, ttl: this.tokens.refreshTtlSeconds })
      .returning('generation')
      .execute();
    const rows = result.raw as Array<{ generation: number }>;
    if (rows.length === 1) {
      const user = await this.directory.find(claims.sub);
      if (user?.status !== UserStatus.Active) {
        await this.revoke(claims.sid, 'user_inactive');
        throw sessionEnded();
      }
      return this.pair(claims.sub, claims.sid, rows[0].generation);
    }
    const session = await this.sessions.findOneBy({ id: claims.sid });
    if (!session || session.userId !== claims.sub) throw new AppException('AUTH.INVALID_TOKEN', 'The token is invalid.');
    if (session.revokedAt) throw sessionEnded();
    if (session.generation > claims.gen) {
      if (await this.revoke(session.id, 'token_reuse')) {
        await this.audit.record(
          {
            action: 'auth.refresh_token_reused',
            actorId: null,
            targetType: 'user',
            targetId: session.userId,
            detail: { session_id: session.id, presented_generation: claims.gen, current_generation: session.generation },
          },
          context,
        );
      }
      throw new AppException(
        'AUTH.TOKEN_REUSED',
        'This refresh token was already used. For your safety the session has been ended everywhere; sign in again.',
      );
    }
    if (session.expiresAt.getTime() <= Date.now()) throw new AppException('AUTH.TOKEN_EXPIRED', 'The session has expired; sign in again.');
    throw new AppException('AUTH.INVALID_TOKEN', 'The token is invalid.');
  }

  /**
   * Retention: deletes up to `limit` sessions that ended (revoked, or expired) before
   * `cutoff`; live sessions stay however old. Returns how many.
   */
  async deleteEndedBefore(cutoff: Date, limit: number): Promise<number> {
    const result = await this.sessions
      .createQueryBuilder()
      .delete()
      .where(`id IN (SELECT id FROM auth_sessions WHERE least(revoked_at, expires_at) < :cutoff LIMIT :limit)`, { cutoff, limit })
      .execute();
    return result.affected ?? 0;
  }

  /** The user's live sessions (signed-in devices), most recently used first. */
  listActive(userId: string, query: PaginationQueryDto): Promise<Paginated<AuthSession>> {
    const builder = this.sessions.createQueryBuilder('s').where('s.userId = :userId AND s.revokedAt IS NULL AND s.expiresAt > now()', { userId });
    return paginate(builder, query, {
      ...SESSIONS_ORDERING,
      searchable: ['s.userAgent'],
      dateColumn: 's.createdAt',
      tieBreaker: 's.id',
    });
  }

  /** Ends one of the caller's live sessions (a lost phone); another user's, an ended or an unknown id is a 404. */
  async revokeOwn(principal: Principal, sessionId: string, context: RequestContext): Promise<void> {
    await this.sessions.manager.transaction(async (manager) => {
      const result = await manager
        .getRepository(AuthSession)
        .update({ id: sessionId, userId: principal.userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) }, { revokedAt: new Date(), revokedReason: 'revoked_by_user' });
      if (!result.affected) throw AppException.notFound('Session');
      await this.audit.record({ action: 'auth.session_revoked', actorId: principal.userId, targetType: 'session', targetId: sessionId }, context, manager);
    });
    this.endSockets(principal.userId, { sessionId });
  }

  /** Revokes one session; false when it was already revoked (or does not exist). */
  async revoke(sessionId: string, reason: RevokeReason, manager?: EntityManager): Promise<boolean> {
    const repository = manager?.getRepository(AuthSession) ?? this.sessions;
    const result = await repository.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every live session of a user, except `exceptSessionId`; returns how many. */
  async revokeAllForUser(
    userId: string,
    reason: RevokeReason,
    options: { exceptSessionId?: string | null; manager?: EntityManager } = {},
  ): Promise<number> {
    const repository = options.manager?.getRepository(AuthSession) ?? this.sessions;
    const result = await repository.update(
      { userId, revokedAt: IsNull(), ...(options.exceptSessionId ? { id: Not(options.exceptSessionId) } : {}) },
      { revokedAt: new Date(), revokedReason: reason },
    );
    return result.affected ?? 0;
  }

  /**
   * Disconnects at once, on every API node, the sockets whose credential just ended: one
   * session, one API token, or all of a user's (but `exceptSessionId`). Call it once the
   * change has committed, so a socket that reconnects finds the credential refused.
   */
  endSockets(userId: string, scope: Omit<SocketRevocation, 'userId' | 'code' | 'message'>, why: 'ended' | 'suspended' = 'ended'): void {
    const reason =
      why === 'suspended'
        ? { code: 'AUTH.ACCOUNT_SUSPENDED', message: 'This account is suspended.' }
        : scope.apiTokenId
          ? { code: 'AUTH.TOKEN_REVOKED', message: 'The API token has been revoked.' }
          : { code: 'AUTH.SESSION_REVOKED', message: 'This session has ended; sign in again.' };
    this.principalChanged(userId);
    this.realtime.endSockets({ userId, ...scope, ...reason });
  }

  /**
   * A committed change to a user's sessions or account: this process forgets the user's
   * cached principals now. Other processes hear of it from the database (PrincipalCache);
   * this spares the process that made the change the wait for its own notice.
   */
  principalChanged(userId: string): void {
    this.principals.forgetUser(userId);
  }

  /** Removes every session row of a user (account erasure: they hold IPs and user agents). */
  async deleteAllForUser(userId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(AuthSession).delete({ userId });
  }

  /** The caller behind a verified access token, from the live session and account (revocations and role changes apply at once). */
  async principalFor(claims: AccessClaims): Promise<Principal> {
    const cached = this.principals.get(claims.sid, claims.sub);
    if (cached) return cached;
    const generation = this.principals.begin();
    // One prepared statement, plain row (the token names the session and its user, checked to match).
    const [row] = await this.hot.query<PrincipalRow>('session_principal', SESSION_PRINCIPAL_SQL, [claims.sid, claims.sub]);
    if (!row) throw new AppException('AUTH.INVALID_TOKEN', 'The token is invalid.');
    if (row.revoked_at) throw sessionEnded();
    if (row.expires_at.getTime() <= Date.now()) throw new AppException('AUTH.TOKEN_EXPIRED', 'The session has expired; sign in again.');
    if (row.status === UserStatus.Suspended) throw new AppException('AUTH.ACCOUNT_SUSPENDED', 'This account is suspended.');
    if (row.status !== UserStatus.Active) throw sessionEnded();
    const principal: Principal = { userId: claims.sub, role: row.role, sessionId: claims.sid, apiTokenId: null, isVerified: row.is_verified, rateTier: row.rate_tier };
    this.principals.store(generation, claims.sid, principal, row.expires_at);
    return principal;
  }

  private pair(userId: string, sessionId: string, generation: number): TokenPair {
    return {
      access: this.tokens.signAccess(userId, sessionId),
      refresh: this.tokens.signRefresh(userId, sessionId, generation),
      token_type: 'Bearer',
      expires_in: this.tokens.accessTtlSeconds,
      refresh_expires_in: this.tokens.refreshTtlSeconds,
    };
  }
}
