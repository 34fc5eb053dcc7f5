import { randomBytes } from 'node:crypto';
import { DecryptionError, FieldCipher, keyId } from './field-encryption';
import { constantTimeEquals, randomReadable, sha256Hex } from './secret-tokens';

describe('FieldCipher (AES-256-GCM)', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('round-trips text, with a fresh IV each time and the key id inside', () => {
    const cipher = new FieldCipher(newKey);
    const a = cipher.encrypt('JBSWY3DPEHPK3PXP — ünïcode ✓', 'users.totp_secret:1');
    const b = cipher.encrypt('JBSWY3DPEHPK3PXP — ünïcode ✓', 'users.totp_secret:1');
    expect(a).not.toBe(b);
    expect(a.split('.')).toHaveLength(4);
    expect(a.split('.')[1]).toBe(keyId(newKey));
    expect(a).not.toContain('JBSWY3DP');
    expect(cipher.decrypt(a, 'users.totp_secret:1')).toBe('JBSWY3DPEHPK3PXP — ünïcode ✓');
  });

  it('never repeats an IV, also across refills of the IV pool', () => {
    const cipher = new FieldCipher(newKey);
    const values = Array.from({ length: 2000 }, (_, i) => cipher.encrypt(`message ${i}`, 'message:1'));
    expect(new Set(values.map((v) => v.split('.')[2])).size).toBe(2000);
    values.forEach((value, i) => expect(cipher.decrypt(value, 'message:1')).toBe(`message ${i}`));
  });

  it('seals bytes (files) bound to a context, readable after rotation, refusing tampering', () => {
    const file = randomBytes(5000);
    const sealed = new FieldCipher(oldKey).encryptBytes(file, 'attachment:a');
    expect(sealed.includes(file.subarray(0, 64))).toBe(false);
    const rotated = new FieldCipher(newKey, [oldKey]);
    expect(rotated.decryptBytes(sealed, 'attachment:a').equals(file)).toBe(true);
    expect(() => rotated.decryptBytes(sealed, 'attachment:b')).toThrow(DecryptionError);
    const tampered = Buffer.from(sealed);
    tampered[100] ^= 1;
    expect(() => rotated.decryptBytes(tampered, 'attachment:a')).toThrow(DecryptionError);
    expect(() => new FieldCipher(newKey).decryptBytes(sealed, 'attachment:a')).toThrow(/unknown key/);
    expect(() => rotated.decryptBytes(file, 'attachment:a')).toThrow(/not sealed bytes/);
  });

  it('decrypts values of a previous key after rotation, and says which are stale', () => {
    const before = new FieldCipher(oldKey).encrypt('secret');
    const rotated = new FieldCipher(newKey, [oldKey]);
    expect(rotated.decrypt(before)).toBe('secret');
    expect(rotated.isStale(before)).toBe(true);
    expect(rotated.isStale(rotated.encrypt('secret'))).toBe(false);
  });

  it('refuses a value whose key was dropped, a tampered value, another context, and garbage', () => {
    const value = new FieldCipher(oldKey).encrypt('secret', 'row:1');
    expect(() => new FieldCipher(newKey).decrypt(value, 'row:1')).toThrow(/unknown key/);
    const cipher = new FieldCipher(oldKey);
    const parts = value.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    expect(() => cipher.decrypt([...parts.slice(0, 3), body.toString('base64url')].join('.'), 'row:1')).toThrow(DecryptionError);
    expect(() => cipher.decrypt(value, 'row:2')).toThrow(/authentication failed/);
    expect(() => cipher.decrypt('plain text', 'row:1')).toThrow(/not an encrypted value/);
    expect(() => cipher.decrypt('enc1.abc.AA.AA', 'row:1')).toThrow(DecryptionError);
  });

  it('requires 32-byte keys', () => {
    expect(() => new FieldCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('secret token helpers', () => {
  it('hashes, compares in constant time and makes readable random codes', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(constantTimeEquals('abc', 'abc')).toBe(true);
    expect(constantTimeEquals('abc', 'abd')).toBe(false);
    expect(constantTimeEquals('abc', 'abcd')).toBe(false);
    const codes = Array.from({ length: 200 }, () => randomReadable(16));
    codes.forEach((c) => expect(c).toMatch(/^[a-hjkmnp-z2-9]{16}$/));
    expect(new Set(codes).size).toBe(200);
  });
});
