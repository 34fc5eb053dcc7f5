import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AppConfig, loadConfig } from 'src/config/app-config';

/** Set by scripts/test.js when it started a throwaway PostgreSQL / Redis. */
export const TEST_DATABASE_URL = process.env.HAVEN_TEST_DATABASE_URL;
export const TEST_REDIS_URL = process.env.HAVEN_TEST_REDIS_URL;

export const usingRealPostgres = Boolean(TEST_DATABASE_URL);
export const usingRedis = Boolean(TEST_REDIS_URL);

export const uniqueSuffix = (): string => randomBytes(5).toString('hex');

/** A fresh, empty database on the test cluster (each test file gets its own). */
export async function createTestDatabase(): Promise<string> {
  if (!TEST_DATABASE_URL) throw new Error('no test PostgreSQL');
  const name = `haven_test_${uniqueSuffix()}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestEnvOptions {
  /** Force the embedded database even when a test PostgreSQL is running. */
  embedded?: boolean;
  /** Leave Redis out even when a test Redis is running. */
  withoutRedis?: boolean;
  env?: Record<string, string | undefined>;
}

/** Configuration for one test app: its own database and Redis key prefix; quiet logs; relaxed limits. */
export async function createTestConfig(options: TestEnvOptions = {}): Promise<AppConfig> {
  const real = usingRealPostgres && !options.embedded;
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: real ? await createTestDatabase() : undefined,
    DATA_DIR: 'memory://',
    DATABASE_POOL_SIZE: '10',
    REDIS_URL: usingRedis && !options.withoutRedis ? TEST_REDIS_URL : undefined,
    REDIS_PREFIX: `t${uniqueSuffix()}`,
    RATE_LIMIT_GENERAL: '100000',
    RATE_LIMIT_CHAT: '100000',
    RATE_LIMIT_AUTH: '100000',
    JOB_BACKOFF_MS: '50',
    JOB_ATTEMPTS: '3',
    ...options.env,
  });
}
