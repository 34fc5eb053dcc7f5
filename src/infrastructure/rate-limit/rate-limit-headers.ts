/**
 * The rate-limit answer headers (IETF draft-ietf-httpapi-ratelimit-headers, the
 * `RateLimit-Limit`/`-Remaining`/`-Reset` form), sent on every answer the rate limiter
 * counted; 429s also carry `Retry-After`. Browsers read them only if CORS exposes them.
 */
export const RATE_LIMIT_HEADERS = {
  limit: 'RateLimit-Limit',
  remaining: 'RateLimit-Remaining',
  reset: 'RateLimit-Reset',
} as const;

export const RETRY_AFTER_HEADER = 'Retry-After';
