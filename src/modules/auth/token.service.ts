import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { createSecretKey, KeyObject, randomUUID } from 'node:crypto';
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

/** What jsonwebtoken checks on every Haven token (plus expiry, when the token has one). */
export interface JwtVerifyOptions {
  algorithms: [typeof ALGORITHM];
  issuer: string;
  audience: string;
}

/** jsonwebtoken's refusal as Haven's error: expired, or simply invalid (forged, wrong algorithm, issuer or audience, garbage). */
export function tokenError(error: unknown): AppException {
  if (error instanceof TokenExpiredError) return new AppException('AUTH.TOKEN_EXPIRED', 'The token has expired.');
  return new AppException('AUTH.INVALID_TOKEN', 'The token is invalid.');
}

/**
 * Signs and verifies Haven's JWTs: HS256 only (so `alg: none` and algorithm confusion
 * are refused), with the configured issuer and audience, and a `typ` claim that keeps
 * access, refresh and 2FA-challenge tokens apart.
 */
@Injectable()
export class TokenService {
  /**
   * The HS256 key, built once. Given the secret as a string, jsonwebtoken first tries to
   * parse it as a PEM public key (and throws) on every sign and verify; a KeyObject skips that.
   */
  readonly key: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(config.auth.jwt.secret, 'utf8'));
  }

  get verifyOptions(): JwtVerifyOptions {
    const { issuer, audience } = this.config.auth.jwt;
    return { algorithms: [ALGORITHM], issuer, audience };
  }

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
    let claims: unknown;
    try {
      // @nestjs/jwt types the key as string | Buffer but hands it to jsonwebtoken as is, which takes a KeyObject.
      claims = this.jwt.verify<object>(token, { secret: this.key as unknown as Buffer, ...this.verifyOptions });
    } catch (error) {
      throw tokenError(error);
    }
    return this.claimsOf(claims, kind);
  }

  /**
   * The claims of a token whose signature, issuer and audience jsonwebtoken has checked, if
   * they make a token of the given kind; AUTH.INVALID_TOKEN otherwise. Expiry and issue time
   * must be present too (jsonwebtoken accepts a token without `exp` as never expiring).
   */
  claimsOf<K extends TokenKind>(payload: unknown, kind: K): ClaimsOf<K> {
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

  private sign(payload: object, ttlSeconds: number): string {
    const { issuer, audience } = this.config.auth.jwt;
    return this.jwt.sign(payload, { privateKey: this.key, algorithm: ALGORITHM, issuer, audience, expiresIn: ttlSeconds, jwtid: randomUUID() });
  }
}
