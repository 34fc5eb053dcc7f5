import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCRAM_SHA_256 = 'SCRAM-SHA-256';

/** PostgreSQL's default `scram_iterations`. */
const ITERATIONS = 4096;

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** A malformed SCRAM message: the exchange fails like a wrong password does. */
export class ScramError extends Error {}

/** `a=1,b=2` → [['a','1'],['b','2']]; values may contain '='. */
function attributes(message: string): [string, string][] {
  return message.split(',').map((part) => {
    if (!/^[A-Za-z]=/.test(part)) throw new ScramError(`malformed SCRAM attribute "${part.slice(0, 20)}"`);
    return [part[0], part.slice(2)];
  });
}

/**
 * The server side of SCRAM-SHA-256 (RFC 5802 / RFC 7677) as PostgreSQL speaks it: no
 * channel binding (the server offers no TLS), the user name in the SCRAM messages is
 * ignored (the startup message names the user). Only the stored and server keys are
 * kept, derived once, so each connection costs a few HMACs.
 */
export class ScramVerifier {
  private readonly salt = randomBytes(16);
  private readonly storedKey: Buffer;
  private readonly serverKey: Buffer;

  /** `password` is used as is: SASLprep leaves the ASCII passwords Haven generates unchanged. */
  constructor(password: string) {
    const salted = pbkdf2Sync(password, this.salt, ITERATIONS, 32, 'sha256');
    this.storedKey = sha256(hmac(salted, 'Client Key'));
    this.serverKey = hmac(salted, 'Server Key');
  }

  exchange(): ScramExchange {
    return new ScramExchange(this.salt, this.storedKey, this.serverKey);
  }
}

/** One connection's authentication: `serverFirst`, then `serverFinal`. */
export class ScramExchange {
  private gs2Header = '';
  private nonce = '';
  private clientFirstBare = '';
  private serverFirstMessage = '';

  constructor(
    private readonly salt: Buffer,
    private readonly storedKey: Buffer,
    private readonly serverKey: Buffer,
  ) {}

  /** Answers the client-first-message with the server-first-message. */
  serverFirst(clientFirstMessage: string): string {
    // gs2-header: a channel-binding flag and an empty authzid, e.g. "n,,".
    const match = /^(n|y|p=[^,]*),(a=[^,]*)?,(.*)$/s.exec(clientFirstMessage);
    if (!match) throw new ScramError('malformed client-first-message');
    const [, flag, authzid, bare] = match;
    // "p": the client requires channel binding, which was not offered; "y": it could but sees we cannot — fine.
    if (flag.startsWith('p')) throw new ScramError('channel binding is not supported');
    if (authzid) throw new ScramError('an authorization identity is not supported');
    const attrs = attributes(bare);
    if (attrs[0]?.[0] !== 'n' || attrs[1]?.[0] !== 'r') throw new ScramError('malformed client-first-message');
    const clientNonce = attrs[1][1];
    if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) throw new ScramError('malformed client nonce');
    this.gs2Header = `${flag},,`;
    this.clientFirstBare = bare;
    this.nonce = clientNonce + randomBytes(18).toString('base64');
    this.serverFirstMessage = `r=${this.nonce},s=${this.salt.toString('base64')},i=${ITERATIONS}`;
    return this.serverFirstMessage;
  }

  /** Checks the client's proof: the server-final-message when it holds, null for a wrong password. */
  serverFinal(clientFinalMessage: string): string | null {
    if (!this.serverFirstMessage) throw new ScramError('client-final-message before client-first-message');
    const proofAt = clientFinalMessage.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramError('malformed client-final-message');
    const withoutProof = clientFinalMessage.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs[0]?.[0] !== 'c' || attrs[1]?.[0] !== 'r') throw new ScramError('malformed client-final-message');
    if (Buffer.from(attrs[0][1], 'base64').toString('latin1') !== this.gs2Header) throw new ScramError('channel binding mismatch');
    if (attrs[1][1] !== this.nonce) throw new ScramError('nonce mismatch');
    const proof = Buffer.from(clientFinalMessage.slice(proofAt + 3), 'base64');
    if (proof.length !== this.storedKey.length) throw new ScramError('malformed client proof');
    const authMessage = `${this.clientFirstBare},${this.serverFirstMessage},${withoutProof}`;
    const signature = hmac(this.storedKey, authMessage);
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ signature[i];
    if (!timingSafeEqual(sha256(clientKey), this.storedKey)) return null;
    return `v=${hmac(this.serverKey, authMessage).toString('base64')}`;
  }
}
