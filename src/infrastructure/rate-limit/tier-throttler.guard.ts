import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { RATE_LIMIT_HEADERS, RETRY_AFTER_HEADER } from './rate-limit-headers';
import { RATE_TIER } from './rate-tier.decorator';
import { HandlerMetadata } from 'src/common/access/handler-metadata';

/**
 * Applies exactly one tier per route (general, auth or chat), counted per signed-in
 * user or, for anonymous calls, per client IP, across all routes of the tier. Every
 * counted answer carries RateLimit-Limit, -Remaining and -Reset (the 400s and 404s of the
 * handler too: the headers are set before it runs). Over the limit: 429 in the error
 * envelope with Retry-After.
 */
@Injectable()
export class TierThrottlerGuard extends ThrottlerGuard {
  /** Each handler's tier (the base class would ask per tier, per request). */
  private readonly tiers = new HandlerMetadata<string>(this.reflector, RATE_TIER, 'general');

  /** With rate limits off nothing else is read (the base class would still look up each tier's metadata). */
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(this.commonOptions.skipIf?.(context) === true);
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, getTracker, generateKey } = request;
    const tier = this.tiers.of(context);
    if (throttler.name !== tier) return true;
    // The base class's counting, with the IETF headers instead of its X-RateLimit-<tier> ones (setHeaders: false).
    const { req, res } = this.getRequestResponse(context);
    const tracker = await getTracker(req, context);
    const key = generateKey(context, tracker, tier);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, tier);
    const reply = res as unknown as FastifyReply;
    void reply.header(RATE_LIMIT_HEADERS.limit, String(limit));
    void reply.header(RATE_LIMIT_HEADERS.remaining, String(record.isBlocked ? 0 : Math.max(0, limit - record.totalHits)));
    // While blocked, the budget comes back when the block ends, not when the window does.
    void reply.header(RATE_LIMIT_HEADERS.reset, String(record.isBlocked ? Math.max(1, record.timeToBlockExpire) : record.timeToExpire));
    if (record.isBlocked) await this.throwThrottlingException(context, { limit, ttl, key, tracker, ...record });
    return true;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = req.principal as Principal | undefined;
    return principal ? `user:${principal.userId}` : `ip:${(req as unknown as FastifyRequest).ip}`;
  }

  /** One budget per tier and caller, shared by every route of the tier (not one per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new AppException('COMMON.RATE_LIMITED', 'Too many requests; slow down and retry later.', {}, {
      [RETRY_AFTER_HEADER]: String(Math.max(1, detail.timeToBlockExpire)),
    });
  }
}
