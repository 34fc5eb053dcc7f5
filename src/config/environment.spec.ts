import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { loadConfig } from './app-config';
import { ConfigValidationError, EnvironmentVariables, parseEnvironment } from './environment';

const base = { DATA_DIR: 'memory://', JWT_SECRET: 'x'.repeat(40), ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };

/** Every variable the environment class declares (from its validation metadata). */
function declaredVariables(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(base);
    expect(config.http.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: 'memory://', poolSize: 10 });
    expect(config.redis).toBeNull();
    expect(config.rateLimit.limits).toEqual({ general: 100, auth: 10, chat: 500 });
    expect(config.chat.attachmentMaxBytes).toBe(10 * 1024 * 1024);
  });

  it('stops with a message that names each invalid variable', () => {
    let error: unknown;
    try {
      parseEnvironment({ ...base, PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL must start with postgres:// or postgresql://');
    expect(message).toContain('LOG_LEVEL');
  });

  it('uses PostgreSQL and Redis when their URLs are set', () => {
    const config = loadConfig({ ...base, DATABASE_URL: 'postgres://u@h:5432/db', REDIS_URL: 'redis://h:6379', REDIS_PREFIX: 'x1' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db', poolSize: 10 });
    expect(config.redis).toEqual({ url: 'redis://h:6379', prefix: 'x1' });
  });

  it('allows several API processes only with PostgreSQL and Redis', () => {
    expect(loadConfig(base).http.workers).toBe(1);
    for (const env of [{}, { DATABASE_URL: 'postgres://u@h/db' }, { REDIS_URL: 'redis://h:6379' }]) {
      expect(() => parseEnvironment({ ...base, ...env, API_WORKERS: '2' })).toThrow(/API_WORKERS: more than one API process needs DATABASE_URL and REDIS_URL/);
    }
    expect(() => parseEnvironment({ ...base, API_WORKERS: '0' })).toThrow(/API_WORKERS/);
    const config = loadConfig({ ...base, DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379', API_WORKERS: '4' });
    expect(config.http.workers).toBe(4);
  });

  it('reads session reminder offsets as a list, latest first, and refuses bad ones', () => {
    expect(loadConfig(base).sessions.reminderMinutes).toEqual([1440, 15]);
    expect(loadConfig({ ...base, SESSION_REMINDER_MINUTES: '5, 60,60' }).sessions.reminderMinutes).toEqual([60, 5]);
    for (const value of ['x,5', '0', '20000', '1,2,3,4,5,6']) {
      expect(() => parseEnvironment({ ...base, SESSION_REMINDER_MINUTES: value })).toThrow(/SESSION_REMINDER_MINUTES/);
    }
  });

  it('reads retention periods in days (0: for ever) and refuses bad ones', () => {
    expect(loadConfig(base).retention).toEqual({
      days: { companion: 90, notifications: 30, sessions: 30, mail: 30, jobRecords: 30 },
      intervalMs: 3_600_000,
      batchSize: 1000,
    });
    const config = loadConfig({ ...base, RETENTION_COMPANION_DAYS: '0', RETENTION_MAIL_DAYS: '7', RETENTION_INTERVAL_SECONDS: '60' });
    expect(config.retention.days).toMatchObject({ companion: null, mail: 7 });
    expect(config.retention.intervalMs).toBe(60_000);
    for (const [name, value] of [
      ['RETENTION_COMPANION_DAYS', '-1'],
      ['RETENTION_NOTIFICATIONS_DAYS', '1.5'],
      ['RETENTION_SESSIONS_DAYS', 'forever'],
      ['RETENTION_MAIL_DAYS', '3651'],
      ['RETENTION_JOB_RECORDS_DAYS', ''],
      ['RETENTION_INTERVAL_SECONDS', '0'],
      ['RETENTION_BATCH_SIZE', '0'],
    ]) {
      expect(() => parseEnvironment({ ...base, [name]: value })).toThrow(new RegExp(name));
    }
  });

  it('pays through Stripe only with both its key and webhook secret', () => {
    expect(loadConfig(base).payments.stripe).toBeNull();
    expect(() => parseEnvironment({ ...base, STRIPE_SECRET_KEY: 'sk_test_x' })).toThrow(/STRIPE_WEBHOOK_SECRET: required/);
    const config = loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_y', STRIPE_API_URL: 'http://127.0.0.1:4242' });
    expect(config.payments.stripe).toEqual({ secretKey: 'sk_test_x', webhookSecret: 'whsec_y', apiUrl: 'http://127.0.0.1:4242' });
  });

  it('documents every variable in the README and .env.example', () => {
    const root = join(__dirname, '..', '..');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const variables = declaredVariables();
    expect(variables.length).toBeGreaterThan(30);
    expect(variables.filter((v) => !readme.includes(`\`${v}\``))).toEqual([]);
    expect(variables.filter((v) => !new RegExp(`^# ${v}=`, 'm').test(example))).toEqual([]);
  });
});
