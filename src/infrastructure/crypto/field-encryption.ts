import { createCipheriv, createDecipheriv, createHash, randomFillSync } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = 'enc1';
const IV_POOL_SIZE = IV_BYTES * 512;
/** Marks a sealed byte buffer (a file): magic, key id (8 ASCII hex), IV, ciphertext, tag. */
const BYTES_MAGIC = Buffer.from('HVB1');
const KEY_ID_BYTES = 8;
const BYTES_HEADER = BYTES_MAGIC.length + KEY_ID_BYTES + IV_BYTES;

/**
 * Random IVs, drawn from a pool refilled 512 IVs at a time: one call to the system's
 * random source per IV was the costliest step of encrypting a chat message.
 */
class IvPool {
  private readonly pool = Buffer.alloc(IV_POOL_SIZE);
  private offset = IV_POOL_SIZE;

  /** A fresh IV, valid until the next call (createCipheriv copies it). */
  next(): Buffer {
    if (this.offset === IV_POOL_SIZE) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const iv = this.pool.subarray(this.offset, this.offset + IV_BYTES);
    this.offset += IV_BYTES;
    return iv;
  }
}

/** A short, stable identifier of a key (not secret: a hash prefix), stored in each ciphertext. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('haven-field-key\0').update(key).digest('hex').slice(0, 8);
}

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt field: ${reason}`);
    this.name = 'DecryptionError';
  }
}

/**
 * AES-256-GCM for single values (a TOTP secret, a message body). The output is text:
 * `enc1.<key id>.<iv>.<ciphertext+tag>` (base64url), so a column can be decrypted after
 * the key rotates: the current key encrypts, every configured key decrypts. An optional
 * context (e.g. `users.totp_secret:<user id>`) is bound as associated data, so a value
 * copied to another row or column does not decrypt.
 */
export class FieldCipher {
  private readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();
  private readonly ivs = new IvPool();

  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('AES-256 keys must be 32 bytes');
      this.keys.set(keyId(key), key);
    }
    this.currentId = keyId(current);
  }

  encrypt(plaintext: string, context = ''): string {
    const { iv, body } = this.seal(Buffer.from(plaintext, 'utf8'), context);
    return [PREFIX, this.currentId, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(value: string, context = ''): string {
    const parts = value.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX) throw new DecryptionError('not an encrypted value');
    const [, id, ivText, bodyText] = parts;
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new DecryptionError('truncated value');
    return this.open(id, iv, body, context).toString('utf8');
  }

  /** Bytes (a file) in one buffer, like encrypt(): the current key, a fresh IV, the context bound as associated data. */
  encryptBytes(plain: Buffer, context = ''): Buffer {
    const { iv, body } = this.seal(plain, context);
    return Buffer.concat([BYTES_MAGIC, Buffer.from(this.currentId, 'ascii'), iv, body]);
  }

  decryptBytes(sealed: Buffer, context = ''): Buffer {
    if (sealed.length < BYTES_HEADER + TAG_BYTES || !sealed.subarray(0, BYTES_MAGIC.length).equals(BYTES_MAGIC)) throw new DecryptionError('not sealed bytes');
    const id = sealed.subarray(BYTES_MAGIC.length, BYTES_MAGIC.length + KEY_ID_BYTES).toString('ascii');
    return this.open(id, sealed.subarray(BYTES_HEADER - IV_BYTES, BYTES_HEADER), sealed.subarray(BYTES_HEADER), context);
  }

  /** Encrypts with the current key and a fresh IV (valid until the next call); body = ciphertext + tag. */
  private seal(plain: Buffer, context: string): { iv: Buffer; body: Buffer } {
    const iv = this.ivs.next();
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.currentId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    return { iv, body: Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]) };
  }

  /** Decrypts ciphertext + tag with the key whose id is `id`, checking the tag and the context. */
  private open(id: string, iv: Buffer, body: Buffer, context: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new DecryptionError(`unknown key ${id} (was a previous key dropped from ENCRYPTION_KEYS_PREVIOUS?)`);
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new DecryptionError('authentication failed (wrong key, context or tampered value)');
    }
  }

  /** True when the value was encrypted with a key other than the current one (re-encrypt it on the next write). */
  isStale(value: string): boolean {
    return value.split('.')[1] !== this.currentId;
  }
}
