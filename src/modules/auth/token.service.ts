import { Injectable } from '@nestjs/common';
import { createSigner, createVerifier, TokenError } from 'fast-jwt';
import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import { AppException } from 'src/common/errors/app.exception';
import { AppConfig } from 'src/config/app-config';

/** The kinds of JWT Haven issues; a token of one kind is never accepted as another. */
export type TokenKind = 'access' | 'refresh' | '2fa';

export interface AccessClaims {
  typ: 'access';
  sub: string;
  sid: string;
}

export interface RefreshClaims {
  typ: 'refresh';
  sub: string;
  sid: string;
  gen: number;
}

export interface ChallengeClaims {
  typ: '2fa';
  sub: string;
}

type ClaimsOf<K extends TokenKind> = K extends 'access' ? AccessClaims : K extends 'refresh' ? RefreshClaims : ChallengeClaims;

/** How long the password step of a 2FA login stays valid. */
export const CHALLENGE_TTL_SECONDS = 300;

const ALGORITHM = 'HS256';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verified access tokens kept per process, keyed by the token itself (10,000 of ~300 bytes
 * are ~3 MB): a repeated token skips the signature, decoding and the claim checks. An entry
 * is used only until the token's `exp`; whether its session is still live is checked on every
 * request all the same. Not fast-jwt's own cache: its key, a SHA-256 of the token, cost as
 * much as verifying an HS256 signature.
 */
const VERIFIED_ACCESS_TOKENS_CACHED = 10_000;

type Verifier = (token: string) => unknown;
type Signer = (payload: object) => string;

/** The verifier's refusal as Haven's error: expired, or simply invalid (forged, wrong algorithm, issuer or audience, garbage). */
export function tokenError(error: unknown): AppException {
  if (error instanceof TokenError && error.code === TokenError.codes.expired) return new AppException('AUTH.TOKEN_EXPIRED', 'The token has expired.');
  return new AppException('AUTH.INVALID_TOKEN', 'The token is invalid.');
}

/**
 * Signs and verifies Haven's JWTs (fast-jwt): HS256 only (so `alg: none` and algorithm
 * confusion are refused), with the configured issuer and audience (both required), `exp`
 * and `iat` required, and a `typ` claim that keeps access, refresh and 2FA-challenge tokens apart.
 * Signers and verifiers are built once, with the key, not per call.
 */
@Injectable()
export class TokenService {
  private readonly signers: Record<TokenKind, Signer>;
  private readonly verifier: Verifier;
  /** Refresh and challenge tokens are used once or twice each: only access tokens are kept. */
  private readonly verifiedAccess = new LRUCache<string, AccessClaims & { exp: number }>({ max: VERIFIED_ACCESS_TOKENS_CACHED });

  constructor(private readonly config: AppConfig) {
    const { secret, issuer, audience } = config.auth.jwt;
    const key = Buffer.from(secret, 'utf8');
    const signer = (ttlSeconds: number): Signer => createSigner({ key, algorithm: ALGORITHM, iss: issuer, aud: audience, expiresIn: ttlSeconds * 1000 });
    this.signers = { access: signer(this.accessTtlSeconds), refresh: signer(this.refreshTtlSeconds), '2fa': signer(CHALLENGE_TTL_SECONDS) };
    // fast-jwt checks iss and aud only when present: they are required too.
    this.verifier = createVerifier({ key, algorithms: [ALGORITHM], allowedIss: issuer, allowedAud: audience, requiredClaims: ['exp', 'iat', 'iss', 'aud'] });
  }

  get accessTtlSeconds(): number {
    return this.config.auth.jwt.accessTtlSeconds;
  }

  get refreshTtlSeconds(): number {
    return this.config.auth.jwt.refreshTtlSeconds;
  }

  signAccess(userId: string, sessionId: string): string {
    return this.sign('access', { typ: 'access', sub: userId, sid: sessionId });
  }

  signRefresh(userId: string, sessionId: string, generation: number): string {
    return this.sign('refresh', { typ: 'refresh', sub: userId, sid: sessionId, gen: generation });
  }

  signChallenge(userId: string): string {
    return this.sign('2fa', { typ: '2fa', sub: userId });
  }

  /** The claims of a valid token of the given kind; 401 (AUTH.INVALID_TOKEN / AUTH.TOKEN_EXPIRED) otherwise. */
  verify<K extends TokenKind>(token: string, kind: K): ClaimsOf<K> {
    if (kind === 'access') {
      const cached = this.verifiedAccess.get(token);
      if (cached && cached.exp * 1000 > Date.now()) return cached as unknown as ClaimsOf<K>;
    }
    let payload: unknown;
    try {
      payload = this.verifier(token);
    } catch (error) {
      throw tokenError(error);
    }
    const claims = this.claimsOf(payload, kind);
    if (kind === 'access') this.verifiedAccess.set(token, claims as AccessClaims & { exp: number });
    return claims;
  }

  /** The claims of a token whose signature, issuer, audience and expiry were checked, if they make a token of the given kind; AUTH.INVALID_TOKEN otherwise. */
  private claimsOf<K extends TokenKind>(payload: unknown, kind: K): ClaimsOf<K> {
    const claims = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
    const valid =
      Number.isInteger(claims.exp) &&
      Number.isInteger(claims.iat) &&
      claims.typ === kind &&
      typeof claims.sub === 'string' &&
      UUID.test(claims.sub) &&
      (kind === '2fa' || (typeof claims.sid === 'string' && UUID.test(claims.sid))) &&
      (kind !== 'refresh' || (Number.isInteger(claims.gen) && (claims.gen as number) >= 0));
    if (!valid) throw new AppException('AUTH.INVALID_TOKEN', 'The token is invalid.');
    return claims as unknown as ClaimsOf<K>;
  }

  private sign(kind: TokenKind, payload: object): string {
    return this.signers[kind]({ ...payload, jti: randomUUID() });
  }
}
