import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { ScramError, ScramVerifier } from './scram';

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();

/** The client side, as RFC 5802 §3 computes it. */
function clientFinal(password: string, clientFirstBare: string, serverFirst: string, channelBinding = 'biws'): { message: string; serverSignature: string } {
  const attrs = Object.fromEntries(serverFirst.split(',').map((a) => [a[0], a.slice(2)]));
  const salted = pbkdf2Sync(password, Buffer.from(attrs.s, 'base64'), Number(attrs.i), 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  const withoutProof = `c=${channelBinding},r=${attrs.r}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const signature = hmac(createHash('sha256').update(clientKey).digest(), authMessage);
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]));
  return {
    message: `${withoutProof},p=${proof.toString('base64')}`,
    serverSignature: hmac(hmac(salted, 'Server Key'), authMessage).toString('base64'),
  };
}

describe('SCRAM-SHA-256 (server side)', () => {
  const verifier = new ScramVerifier('correct horse battery staple');
  const bare = 'n=*,r=clientnonce123';

  it('accepts the right password and proves itself to the client', () => {
    const exchange = verifier.exchange();
    const serverFirst = exchange.serverFirst(`n,,${bare}`);
    expect(serverFirst).toMatch(/^r=clientnonce123[A-Za-z0-9+/=]{24},s=[A-Za-z0-9+/=]+,i=4096$/);
    const { message, serverSignature } = clientFinal('correct horse battery staple', bare, serverFirst);
    expect(exchange.serverFinal(message)).toBe(`v=${serverSignature}`);
  });

  it('gives each exchange its own nonce', () => {
    expect(verifier.exchange().serverFirst(`n,,${bare}`)).not.toBe(verifier.exchange().serverFirst(`n,,${bare}`));
  });

  it('refuses a wrong password, a tampered proof and a replayed one', () => {
    const exchange = verifier.exchange();
    const serverFirst = exchange.serverFirst(`n,,${bare}`);
    expect(exchange.serverFinal(clientFinal('Correct horse battery staple', bare, serverFirst).message)).toBeNull();
    const right = clientFinal('correct horse battery staple', bare, serverFirst).message;
    const tampered = right.replace(/p=(.)/, (_, c: string) => `p=${c === 'A' ? 'B' : 'A'}`);
    expect(exchange.serverFinal(tampered)).toBeNull();
    // Another exchange has another server nonce: the proof of this one does not carry over.
    const other = verifier.exchange();
    other.serverFirst(`n,,${bare}`);
    expect(() => other.serverFinal(right)).toThrow(ScramError);
  });

  it('refuses channel binding it did not offer, an authorization identity and malformed messages', () => {
    expect(() => verifier.exchange().serverFirst(`p=tls-server-end-point,,${bare}`)).toThrow(ScramError);
    expect(() => verifier.exchange().serverFirst(`n,a=admin,${bare}`)).toThrow(ScramError);
    expect(() => verifier.exchange().serverFirst('n,,r=nonce-without-name')).toThrow(ScramError);
    expect(() => verifier.exchange().serverFirst('garbage')).toThrow(ScramError);
    expect(() => verifier.exchange().serverFinal('c=biws,r=x,p=AAAA')).toThrow(ScramError);
    const exchange = verifier.exchange();
    const serverFirst = exchange.serverFirst(`n,,${bare}`);
    // The client claims "y" (could bind, server cannot) in the final message after saying "n" first.
    expect(() => exchange.serverFinal(clientFinal('correct horse battery staple', bare, serverFirst, 'eSws').message)).toThrow(ScramError);
  });
});
