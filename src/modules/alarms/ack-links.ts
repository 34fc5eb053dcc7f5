import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const TOKEN_PATTERN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;

/** What a valid acknowledgement token names: a delivery, until a time. */
export interface AckClaim {
  deliveryId: string;
  expiresAt: Date;
}

/**
 * Acknowledgement links in alarm emails: `<delivery id>.<expiry, unix s>.<HMAC-SHA256>`.
 * The same delivery always gets the same token (a retried email carries a link that
 * still works); nothing secret is stored. The key is derived from the data-at-rest key,
 * so rotating ENCRYPTION_KEY ends the links already sent. Single use is the delivery
 * row's business (acknowledged once).
 */
export class AckLinks {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'haven alarm acknowledgement link', 32));
  }

  sign(claim: AckClaim): string {
    const body = `${claim.deliveryId}.${Math.floor(claim.expiresAt.getTime() / 1000)}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The claim of a well-formed, authentic token (expired or not), else null. */
  verify(token: string): AckClaim | null {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return null;
    const expected = Buffer.from(this.mac(`${match[1]}.${match[2]}`));
    const given = Buffer.from(match[3]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return { deliveryId: match[1], expiresAt: new Date(Number(match[2]) * 1000) };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
