import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Principal, requireSession } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { RequestContext } from 'src/common/http/request-context';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { constantTimeEquals, randomSecret, sha256Hex } from 'src/infrastructure/crypto/secret-tokens';
import { AuditService } from 'src/modules/audit/audit.service';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UserStatus } from 'src/modules/users/users.types';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { ApiToken } from './api-token.entity';
import { SessionsService } from './sessions.service';

/** Sorting of your API tokens. */
export const API_TOKENS_ORDERING = {
  orderable: { created_at: 't.createdAt', name: 't.name', last_used_at: 't.lastUsedAt' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

const TOKEN_PATTERN = /^hvn_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const LAST_USED_RESOLUTION_MS = 60_000;

const invalid = (): AppException => new AppException('AUTH.INVALID_TOKEN', 'The API token is invalid.');

/** Personal API tokens: `hvn_<prefix>_<secret>`, shown once, stored as SHA-256. */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    private readonly directory: UserDirectoryService,
  ) {}

  async create(
    principal: Principal,
    input: { name: string; expiresInDays?: number },
    context: RequestContext,
  ): Promise<{ token: ApiToken; secret: string }> {
    requireSession(principal);
    const prefix = randomBytes(6).toString('hex');
    const secret = `hvn_${prefix}_${randomSecret(32)}`;
    const token = await this.tokens.manager.transaction(async (manager) => {
      const saved = await manager.getRepository(ApiToken).save(
        manager.getRepository(ApiToken).create({
          userId: principal.userId,
          name: input.name,
          prefix,
          tokenHash: sha256Hex(secret),
          expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
        }),
      );
      await this.audit.record(
        { action: 'auth.api_token_created', actorId: principal.userId, targetType: 'api_token', targetId: saved.id, detail: { prefix } },
        context,
        manager,
      );
      return saved;
    });
    return { token, secret };
  }

  /** The caller's tokens that are not revoked, newest first. */
  list(userId: string, query: PaginationQueryDto): Promise<Paginated<ApiToken>> {
    const builder = this.tokens.createQueryBuilder('t').where('t.userId = :userId AND t.revokedAt IS NULL', { userId });
    return paginate(builder, query, {
      ...API_TOKENS_ORDERING,
      searchable: ['t.name'],
      dateColumn: 't.createdAt',
      tieBreaker: 't.id',
    });
  }

  /** Revokes one of the caller's tokens; another user's (or an unknown) id is a 404. */
  async revoke(principal: Principal, id: string, context: RequestContext): Promise<void> {
    await this.tokens.manager.transaction(async (manager) => {
      const result = await manager
        .getRepository(ApiToken)
        .update({ id, userId: principal.userId, revokedAt: IsNull() }, { revokedAt: new Date() });
      if (!result.affected) throw AppException.notFound('API token');
      await this.audit.record(
        { action: 'auth.api_token_revoked', actorId: principal.userId, targetType: 'api_token', targetId: id },
        context,
        manager,
      );
    });
    this.sessions.endSockets(principal.userId, { apiTokenId: id });
  }

  /** Revokes the token a request authenticated with (logout with `Authorization: Token`). */
  async revokeUsed(principal: Principal, context: RequestContext): Promise<void> {
    if (principal.apiTokenId) await this.revoke(principal, principal.apiTokenId, context);
  }

  /** Revokes every live token of a user (a password change); returns how many. */
  async revokeAllForUser(userId: string, manager: EntityManager): Promise<number> {
    const result = await manager.getRepository(ApiToken).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return result.affected ?? 0;
  }

  /**
   * Retention: deletes up to `limit` tokens that ended (revoked, or expired) before
   * `cutoff`; tokens still valid stay however old. Returns how many.
   */
  async deleteEndedBefore(cutoff: Date, limit: number): Promise<number> {
    const result = await this.tokens
      .createQueryBuilder()
      .delete()
      .where(`id IN (SELECT id FROM api_tokens WHERE least(revoked_at, expires_at) < :cutoff LIMIT :limit)`, { cutoff, limit })
      .execute();
    return result.affected ?? 0;
  }

  /** Account erasure: the tokens go (their names may be personal). */
  async deleteAllForUser(userId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(ApiToken).delete({ userId });
  }

  /** The caller behind `Authorization: Token <token>`; 401 when unknown, revoked or expired. */
  async authenticate(presented: string): Promise<Principal> {
    const match = TOKEN_PATTERN.exec(presented);
    if (!match) throw invalid();
    const token = await this.tokens.findOneBy({ prefix: match[1] });
    const user = token ? await this.directory.find(token.userId) : null;
    if (!token || !user || !constantTimeEquals(token.tokenHash, sha256Hex(presented))) throw invalid();
    if (token.revokedAt) throw new AppException('AUTH.TOKEN_REVOKED', 'The API token has been revoked.');
    if (token.expiresAt && token.expiresAt.getTime() <= Date.now()) throw new AppException('AUTH.TOKEN_EXPIRED', 'The API token has expired.');
    if (user.status === UserStatus.Suspended) throw new AppException('AUTH.ACCOUNT_SUSPENDED', 'This account is suspended.');
    if (user.status !== UserStatus.Active) throw invalid();
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.tokens.update({ id: token.id }, { lastUsedAt: new Date() });
    }
    return { userId: user.id, role: user.role, sessionId: null, apiTokenId: token.id, isVerified: user.isVerified, rateTier: user.rateTier };
  }
}
