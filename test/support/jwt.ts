import { createHmac } from 'node:crypto';

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const HASHES: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/**
 * Builds a JWT by hand (any header, any claims), to probe how the API treats forged and
 * odd tokens. Signed with HMAC per the header's `alg` when a secret is given.
 */
export function craftJwt(header: { alg: string; [key: string]: unknown }, payload: object, secret?: string): string {
  const unsigned = `${encode(header)}.${encode(payload)}`;
  const signature = secret ? createHmac(HASHES[header.alg] ?? 'sha256', secret).update(unsigned).digest('base64url') : '';
  return `${unsigned}.${signature}`;
}

/** Decodes a JWT's claims without verifying it. */
export function jwtClaims(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
