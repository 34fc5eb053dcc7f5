import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { RATE_TIER } from './rate-tier.decorator';

/**
 * Applies exactly one tier per route (general, auth or chat), counted per signed-in
 * user or, for anonymous calls, per client IP, across all routes of the tier. Over the limit: 429 in the error
 * envelope with Retry-After.
 */
@Injectable()
export class TierThrottlerGuard extends ThrottlerGuard {
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const tier =
      this.reflector.getAllAndOverride<string | undefined>(RATE_TIER, [request.context.getHandler(), request.context.getClass()]) ??
      'general';
    if (request.throttler.name !== tier) return true;
    return super.handleRequest(request);
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
      'Retry-After': String(Math.max(1, detail.timeToBlockExpire)),
    });
  }
}
