import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigValidationError } from './environment';

/** The secrets Haven cannot run without. */
export interface Secrets {
  JWT_SECRET: string;
  ENCRYPTION_KEY: string;
}

type SecretName = keyof Secrets;

const SECRETS_FILE = 'secrets.json';
const HOW_TO: Record<SecretName, string> = {
  JWT_SECRET: 'at least 32 random characters, e.g. `openssl rand -base64 48`',
  ENCRYPTION_KEY: '32 random bytes as base64, e.g. `openssl rand -base64 32`',
};

const generators: Record<SecretName, () => string> = {
  JWT_SECRET: () => randomBytes(48).toString('base64'),
  ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
};

// DATA_DIR=memory:// keeps everything in this process, the generated secrets too.
const inMemory: Partial<Secrets> = {};

function readSecretsFile(path: string): Partial<Secrets> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Record<SecretName, unknown>>;
    const result: Partial<Secrets> = {};
    for (const name of Object.keys(generators) as SecretName[]) {
      if (typeof parsed[name] === 'string') result[name] = parsed[name];
    }
    return result;
  } catch {
    throw new ConfigValidationError([
      `${path} is not valid JSON. Restore it from a backup, or set JWT_SECRET and ENCRYPTION_KEY ` +
        '(deleting the file signs everyone out and makes stored 2FA secrets unreadable).',
    ]);
  }
}

/** Writes the file with mode 0600; the first writer wins a race (link fails if the file appeared meanwhile). */
function writeSecretsFile(path: string, secrets: Partial<Secrets>, replace: boolean): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ ...secrets, created_at: new Date().toISOString() }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  try {
    if (replace) {
      renameSync(temp, path);
    } else {
      linkSync(temp, path);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * The JWT secret and encryption key: from the environment when set. Outside production,
 * a missing one is generated once and kept in `<dataDir>/secrets.json` (mode 0600), or
 * in memory for `memory://`, so zero-setup mode needs no configuration and survives
 * restarts. In production a missing secret refuses the start, naming the variable.
 */
export function resolveSecrets(values: Partial<Secrets>, options: { production: boolean; dataDir: string }): Secrets {
  const given = Object.fromEntries(Object.entries(values).filter(([, value]) => value)) as Partial<Secrets>;
  const missing = (Object.keys(generators) as SecretName[]).filter((name) => !given[name]);
  if (missing.length === 0) return given as Secrets;
  if (options.production) {
    throw new ConfigValidationError(missing.map((name) => `${name} is required in production: ${HOW_TO[name]}`));
  }
  if (options.dataDir === 'memory://') {
    for (const name of missing) inMemory[name] ??= generators[name]();
    return { ...inMemory, ...given } as Secrets;
  }
  const dir = resolve(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, SECRETS_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = readSecretsFile(path);
    const existed = Object.keys(stored).length > 0;
    const absent = missing.filter((name) => !stored[name]);
    if (absent.length === 0) return { ...stored, ...given } as Secrets;
    const updated = { ...stored };
    for (const name of absent) updated[name] = generators[name]();
    // Another process may have created the file at the same moment: then read theirs.
    if (writeSecretsFile(path, updated, existed)) return { ...updated, ...given } as Secrets;
  }
  throw new ConfigValidationError([`Could not create ${path}; set ${missing.join(' and ')} instead.`]);
}
