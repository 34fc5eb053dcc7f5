import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from './environment';
import { resolveEmbeddedDatabasePassword, resolveSecrets } from './secrets';

describe('resolveSecrets', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'haven-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the environment when both are set, writing nothing', () => {
    const given = { JWT_SECRET: 'j'.repeat(40), ENCRYPTION_KEY: 'k' };
    expect(resolveSecrets(given, { production: true, dataDir: dir })).toEqual(given);
    expect(() => statSync(join(dir, 'secrets.json'))).toThrow();
  });

  it('refuses to start in production without them, naming each variable', () => {
    let error: unknown;
    try {
      resolveSecrets({}, { production: true, dataDir: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).problems).toEqual([
      expect.stringMatching(/^JWT_SECRET is required in production/),
      expect.stringMatching(/^ENCRYPTION_KEY is required in production/),
    ]);
    expect(() => resolveSecrets({ JWT_SECRET: 'j'.repeat(40) }, { production: true, dataDir: dir })).toThrow(/ENCRYPTION_KEY is required/);
  });

  it('outside production generates them once into DATA_DIR/secrets.json (mode 0600) and reuses them', () => {
    const first = resolveSecrets({}, { production: false, dataDir: dir });
    expect(first.JWT_SECRET.length).toBeGreaterThanOrEqual(48);
    expect(Buffer.from(first.ENCRYPTION_KEY, 'base64')).toHaveLength(32);
    const file = join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject(first);
    expect(resolveSecrets({}, { production: false, dataDir: dir })).toEqual(first);
  });

  it('lets the environment override a stored secret and generates only what is missing', () => {
    const stored = resolveSecrets({}, { production: false, dataDir: dir });
    const mixed = resolveSecrets({ JWT_SECRET: 'from-env'.repeat(5) }, { production: false, dataDir: dir });
    expect(mixed).toEqual({ JWT_SECRET: 'from-env'.repeat(5), ENCRYPTION_KEY: stored.ENCRYPTION_KEY });
  });

  it('keeps memory:// secrets in the process only', () => {
    const a = resolveSecrets({}, { production: false, dataDir: 'memory://' });
    expect(resolveSecrets({}, { production: false, dataDir: 'memory://' })).toEqual(a);
  });

  it('generates the embedded database password once into the same file, next to the other secrets', () => {
    const password = resolveEmbeddedDatabasePassword(dir);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Adding the other secrets keeps it, and it keeps them.
    const secrets = resolveSecrets({}, { production: false, dataDir: dir });
    expect(resolveEmbeddedDatabasePassword(dir)).toBe(password);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ ...secrets, embedded_db_password: password });
    expect(resolveSecrets({}, { production: false, dataDir: dir })).toEqual(secrets);
    expect(() => statSync(`${file}.lock`)).toThrow();
  });

  it('generates the embedded database password in production too (no one sets it)', () => {
    const given = { JWT_SECRET: 'j'.repeat(40), ENCRYPTION_KEY: 'k' };
    expect(resolveSecrets(given, { production: true, dataDir: dir })).toEqual(given);
    const password = resolveEmbeddedDatabasePassword(dir);
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual({ embedded_db_password: password, created_at: expect.any(String) });
  });

  it('keeps the memory:// embedded database password in the process only', () => {
    const password = resolveEmbeddedDatabasePassword('memory://');
    expect(resolveEmbeddedDatabasePassword('memory://')).toBe(password);
    expect(password).not.toBe(resolveEmbeddedDatabasePassword(dir));
  });

  it('takes over the lock a crashed process left behind once it is stale', () => {
    const lock = join(dir, 'secrets.json.lock');
    writeFileSync(lock, '');
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);
    expect(resolveEmbeddedDatabasePassword(dir)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(() => statSync(lock)).toThrow();
  });

  it('tightens a secrets file that others can read to mode 0600', () => {
    const file = join(dir, 'secrets.json');
    const stored = resolveSecrets({}, { production: false, dataDir: dir });
    chmodSync(file, 0o644);
    expect(resolveSecrets({}, { production: false, dataDir: dir })).toEqual(stored);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a corrupt secrets file instead of silently replacing it', () => {
    writeFileSync(join(dir, 'secrets.json'), '{not json');
    expect(() => resolveSecrets({}, { production: false, dataDir: dir })).toThrow(/not valid JSON/);
  });
});
