import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
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
 * Signs and verifies Haven's JWTs: HS256 only (so `alg: none` and algorithm confusion
 * are refused), with the configured issuer and audience, and a `typ` claim that keeps
 * access, refresh and 2FA-challenge tokens apart.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  get accessTtlSeconds(): number {
    return this.config.auth.jwt.accessTtlSeconds;
  }

  get refreshTtlSeconds(): number {
    return this.config.auth.jwt.refreshTtlSeconds;
  }

  signAccess(userId: string, sessionId: string): string {
    return this.sign({ typ: 'access', sub: userId, sid: sessionId }, this.accessTtlSeconds);
  }

  signRefresh(userId: string, sessionId: string, generation: number): string {
    return this.sign({ typ: 'refresh', sub: userId, sid: sessionId, gen: generation }, this.refreshTtlSeconds);
  }

  signChallenge(userId: string): string {
    return this.sign({ typ: '2fa', sub: userId }, CHALLENGE_TTL_SECONDS);
  }

  /** The claims of a valid token of the given kind; 401 (AUTH.INVALID_TOKEN / AUTH.TOKEN_EXPIRED) otherwise. */
  verify<K extends TokenKind>(token: string, kind: K): ClaimsOf<K> {
    const { secret, issuer, audience } = this.config.auth.jwt;
    let claims: Record<string, unknown>;
    try {
      claims = this.jwt.verify<Record<string, unknown>>(token, { secret, algorithms: [ALGORITHM], issuer, audience });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new AppException('AUTH.TOKEN_EXPIRED', 'The token has expired.');
      throw new AppException('AUTH.INVALID_TOKEN', 'The token is invalid.');
    }
    // Issuer and audience are checked by verify(); expiry and issue time must be present too
    // (verify() accepts a token without `exp` as never expiring).
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

  private sign(payload: object, ttlSeconds: number): string {
    const { secret, issuer, audience } = this.config.auth.jwt;
    return this.jwt.sign(payload, { secret, algorithm: ALGORITHM, issuer, audience, expiresIn: ttlSeconds, jwtid: randomUUID() });
  }
}
