import { SetMetadata } from '@nestjs/common';
import { RateLimitTier } from 'src/config/app-config';

export const RATE_TIER = 'haven:rate-tier';

/** Which rate-limit tier a route counts against (default `general`); `exempt` for health probes. */
export const RateTier = (tier: RateLimitTier | 'exempt'): MethodDecorator & ClassDecorator => SetMetadata(RATE_TIER, tier);
