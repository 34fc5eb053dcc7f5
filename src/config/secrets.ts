import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigValidationError } from './environment';

/** The secrets Haven cannot run without. */
export interface Secrets {
  JWT_SECRET: string;
  ENCRYPTION_KEY: string;
}

type SecretName = keyof Secrets;

/**
 * The embedded database's password (zero-setup mode). Never set by the operator: the
 * embedded server and the commands that go through it read it here. Lower case so that
 * it is not mistaken for an environment variable.
 */
const DB_PASSWORD = 'embedded_db_password';
type StoredName = SecretName | typeof DB_PASSWORD;
type Stored = Partial<Record<StoredName, string>>;

const SECRETS_FILE = 'secrets.json';
const LOCK_STALE_MS = 10_000;
const HOW_TO: Record<SecretName, string> = {
  JWT_SECRET: 'at least 32 random characters, e.g. `openssl rand -base64 48`',
  ENCRYPTION_KEY: '32 random bytes as base64, e.g. `openssl rand -base64 32`',
};

const generators: Record<StoredName, () => string> = {
  JWT_SECRET: () => randomBytes(48).toString('base64'),
  ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
  // base64url: nothing to escape in a connection URL.
  [DB_PASSWORD]: () => randomBytes(32).toString('base64url'),
};
const SECRET_NAMES: SecretName[] = ['JWT_SECRET', 'ENCRYPTION_KEY'];

// DATA_DIR=memory:// keeps everything in this process, the generated secrets too.
const inMemory: Stored = {};

function readSecretsFile(path: string): Stored {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  // A copied or hand-made file may be readable by others; what it holds opens everything.
  if ((statSync(path).mode & 0o077) !== 0) {
    try {
      chmodSync(path, 0o600);
    } catch {
      // Not ours to change (another owner, a read-only mount): reading it still works.
    }
  }
  try {
    const parsed = JSON.parse(text) as Partial<Record<StoredName, unknown>>;
    const result: Stored = {};
    for (const name of Object.keys(generators) as StoredName[]) {
      const value = parsed[name];
      if (typeof value === 'string') result[name] = value;
    }
    return result;
  } catch {
    throw new ConfigValidationError([
      `${path} is not valid JSON. Restore it from a backup, or set JWT_SECRET and ENCRYPTION_KEY ` +
        '(deleting the file signs everyone out and makes stored 2FA secrets unreadable).',
    ]);
  }
}

/** Writes the file with mode 0600, atomically (a reader sees the old file or the new one). */
function writeSecretsFile(path: string, secrets: Stored): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify({ ...secrets, created_at: new Date().toISOString() }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Runs `work` while holding `<path>.lock`, so that two processes adding secrets to the
 * same file (a server and create-admin, say) never overwrite each other's. A lock left
 * by a crashed process is taken over once it is stale.
 */
function withFileLock<T>(path: string, work: () => T): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + 3 * LOCK_STALE_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) throw new ConfigValidationError([`${lock} stays locked; remove it if no Haven process is starting.`]);
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { force: true });
      } catch {
        // Released meanwhile: try again.
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The stored values of `names`, generating the missing ones into `<dataDir>/secrets.json` (or memory for `memory://`). */
function storedSecrets(dataDir: string, names: StoredName[]): Stored {
  if (dataDir === 'memory://') {
    for (const name of names) inMemory[name] ??= generators[name]();
    return inMemory;
  }
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, SECRETS_FILE);
  const stored = readSecretsFile(path);
  if (names.every((name) => stored[name])) return stored;
  return withFileLock(path, () => {
    // Read again under the lock: another process may have added them meanwhile.
    const current = readSecretsFile(path);
    const absent = names.filter((name) => !current[name]);
    if (absent.length === 0) return current;
    const updated = { ...current };
    for (const name of absent) updated[name] = generators[name]();
    writeSecretsFile(path, updated);
    return updated;
  });
}

/**
 * The JWT secret and encryption key: from the environment when set. Outside production,
 * a missing one is generated once and kept in `<dataDir>/secrets.json` (mode 0600), or
 * in memory for `memory://`, so zero-setup mode needs no configuration and survives
 * restarts. In production a missing secret refuses the start, naming the variable.
 */
export function resolveSecrets(values: Partial<Secrets>, options: { production: boolean; dataDir: string }): Secrets {
  const given = Object.fromEntries(Object.entries(values).filter(([, value]) => value)) as Partial<Secrets>;
  const missing = SECRET_NAMES.filter((name) => !given[name]);
  if (missing.length === 0) return given as Secrets;
  if (options.production) {
    throw new ConfigValidationError(missing.map((name) => `${name} is required in production: ${HOW_TO[name]}`));
  }
  const stored = storedSecrets(options.dataDir, missing);
  return { JWT_SECRET: given.JWT_SECRET ?? stored.JWT_SECRET!, ENCRYPTION_KEY: given.ENCRYPTION_KEY ?? stored.ENCRYPTION_KEY! };
}

/**
 * The password of the embedded database server (zero-setup mode): generated once into
 * `<dataDir>/secrets.json` (mode 0600) next to the other generated secrets, in production
 * too, or kept in memory for `memory://`. Commands that go through a running server's
 * embedded database read it from there.
 */
export function resolveEmbeddedDatabasePassword(dataDir: string): string {
  return storedSecrets(dataDir, [DB_PASSWORD])[DB_PASSWORD]!;
}
