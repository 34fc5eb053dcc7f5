import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex of a high-entropy secret (API tokens, recovery codes): safe to store, useless to a reader. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares two strings in time that does not depend on where they differ. */
export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `bytes` random bytes as base64url. */
export function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

// No 0/O, 1/I/L: easy to read aloud and to type from paper.
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A random string over an unambiguous alphabet (unbiased: rejection sampling). */
export function randomReadable(length: number): string {
  let result = '';
  while (result.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 256 - (256 % READABLE.length) && result.length < length) result += READABLE[byte % READABLE.length];
    }
  }
  return result;
}
