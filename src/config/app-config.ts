import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvironment } from './environment';
import { readPackageVersion } from './package-version';
import { resolveEmbeddedDatabasePassword, resolveSecrets } from './secrets';

export type RateLimitTier = 'general' | 'auth' | 'chat';

/** Days each kind of record is kept before the retention job deletes it; null keeps it for ever. */
export interface RetentionPeriods {
  companion: number | null;
  notifications: number | null;
  sessions: number | null;
  mail: number | null;
  jobRecords: number | null;
}

/** The typed configuration every part of Haven reads. Built once at boot by `loadConfig`. */
export class AppConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly version!: string;
  readonly http!: {
    host: string;
    port: number;
    publicUrl?: string;
    bodyLimitBytes: number;
    corsOrigins: string[] | '*';
    trustProxy: boolean;
    /** API processes (Node cluster workers) sharing the port. */
    workers: number;
  };
  readonly database!:
    | {
        kind: 'postgres';
        url: string;
        poolSize: number;
        /**
         * Another process's embedded database, reached through its wire server: every client
         * shares one session there, so named prepared statements would collide (commands only).
         */
        sharedSession?: boolean;
      }
    | { kind: 'pglite'; dataDir: string; poolSize: number };
  /** The embedded database server's generated password (kept in DATA_DIR/secrets.json); null with DATABASE_URL. */
  readonly embeddedDatabasePassword!: string | null;
  readonly dataDir!: string;
  readonly redis!: { url: string; prefix: string } | null;
  readonly jobs!: { runInApi: boolean; retry: { attempts: number; backoffMs: number } };
  /** How long each kind of record is kept (days; null: for ever), and how the retention job runs. */
  readonly retention!: {
    days: RetentionPeriods;
    intervalMs: number;
    batchSize: number;
  };
  readonly mail!: { smtpUrl?: string; from: string };
  readonly logLevel!: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Whether lines logged while a request is served carry its request id (LOG_REQUEST_IDS). */
  readonly logRequestIds!: boolean;
  readonly metrics!: { prometheusToken?: string };
  readonly rateLimit!: {
    enabled: boolean;
    windowMs: number;
    limits: Record<RateLimitTier, number>;
    /** Applied to the general and chat tiers for accounts whose plan grants the premium rate tier. */
    premiumMultiplier: number;
  };
  readonly auth!: {
    jwt: { secret: string; issuer: string; audience: string; accessTtlSeconds: number; refreshTtlSeconds: number };
    lockout: { maxFailures: number; durationSeconds: number };
    totpIssuer: string;
  };
  /** AES-256 keys for data at rest: `current` encrypts; all of them decrypt. */
  readonly encryption!: { current: Buffer; previous: Buffer[] };
  readonly chat!: { uploadsDir: string; attachmentMaxBytes: number; socketReauthMs: number };
  readonly alarms!: { repeatWindowSeconds: number; contactEmailsPerHour: number; ackLinkTtlHours: number };
  readonly privacy!: { exportTtlHours: number; exportLinkTtlMinutes: number };
  readonly sessions!: { meetingBaseUrl: string; cancelNoticeHours: number; reminderMinutes: number[] };
  /** Stripe when a secret key is set; otherwise the built-in sandbox provider. */
  readonly companion!: {
    /** The OpenAI-compatible model; null: the offline responder only. */
    model: { baseUrl: string; apiKey: string | null; name: string } | null;
    timeoutMs: number;
    retries: number;
    memoryMessages: number;
  };
  readonly risk!: { ackDeadlineMinutes: number; reescalateEveryMinutes: number; joinWindowMinutes: number };
  readonly payments!: { stripe: { secretKey: string; webhookSecret: string; apiUrl?: string } | null };
}

/** An ENCRYPTION_KEY value (base64 or hex, validated by the environment) as bytes. */
function keyBytes(value: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
}

const packageVersion = readPackageVersion();

/**
 * Validates the environment and builds the typed configuration. The only reader of
 * `process.env` in Haven; tests and scripts pass their own record instead.
 */
export function loadConfig(raw: Record<string, string | undefined> = process.env): AppConfig {
  const env = parseEnvironment(raw);
  const secrets = resolveSecrets(
    { JWT_SECRET: env.JWT_SECRET, ENCRYPTION_KEY: env.ENCRYPTION_KEY },
    { production: env.NODE_ENV === 'production', dataDir: env.DATA_DIR },
  );
  const origins = env.CORS_ORIGINS.trim();
  return {
    env: env.NODE_ENV,
    version: packageVersion,
    http: {
      host: env.HOST,
      port: env.PORT,
      publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      corsOrigins: origins === '*' ? '*' : origins.split(',').map((o) => o.trim()).filter(Boolean),
      trustProxy: env.TRUST_PROXY,
      workers: env.API_WORKERS,
    },
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE },
    embeddedDatabasePassword: env.DATABASE_URL ? null : resolveEmbeddedDatabasePassword(env.DATA_DIR),
    dataDir: env.DATA_DIR,
    redis: env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.REDIS_PREFIX } : null,
    jobs: { runInApi: env.JOBS_RUN_IN_API, retry: { attempts: env.JOB_ATTEMPTS, backoffMs: env.JOB_BACKOFF_MS } },
    retention: {
      days: {
        companion: env.RETENTION_COMPANION_DAYS || null,
        notifications: env.RETENTION_NOTIFICATIONS_DAYS || null,
        sessions: env.RETENTION_SESSIONS_DAYS || null,
        mail: env.RETENTION_MAIL_DAYS || null,
        jobRecords: env.RETENTION_JOB_RECORDS_DAYS || null,
      },
      intervalMs: env.RETENTION_INTERVAL_SECONDS * 1000,
      batchSize: env.RETENTION_BATCH_SIZE,
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    logLevel: env.LOG_LEVEL,
    logRequestIds: env.LOG_REQUEST_IDS,
    metrics: { prometheusToken: env.METRICS_TOKEN },
    rateLimit: {
      enabled: env.RATE_LIMIT_ENABLED,
      windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000,
      limits: { general: env.RATE_LIMIT_GENERAL, auth: env.RATE_LIMIT_AUTH, chat: env.RATE_LIMIT_CHAT },
      premiumMultiplier: env.RATE_LIMIT_PREMIUM_MULTIPLIER,
    },
    auth: {
      jwt: {
        secret: secrets.JWT_SECRET,
        issuer: env.JWT_ISSUER,
        audience: env.JWT_AUDIENCE,
        accessTtlSeconds: env.JWT_ACCESS_TTL_SECONDS,
        refreshTtlSeconds: env.JWT_REFRESH_TTL_SECONDS,
      },
      lockout: { maxFailures: env.LOGIN_MAX_FAILURES, durationSeconds: env.LOGIN_LOCKOUT_SECONDS },
      totpIssuer: env.TOTP_ISSUER,
    },
    chat: {
      uploadsDir: env.UPLOADS_DIR ?? (env.DATA_DIR === 'memory://' ? join(tmpdir(), 'haven-uploads') : join(env.DATA_DIR, 'uploads')),
      attachmentMaxBytes: env.ATTACHMENT_MAX_BYTES,
      socketReauthMs: env.SOCKET_REAUTH_SECONDS * 1000,
    },
    alarms: {
      repeatWindowSeconds: env.ALARM_REPEAT_WINDOW_SECONDS,
      contactEmailsPerHour: env.ALARM_CONTACT_EMAILS_PER_HOUR,
      ackLinkTtlHours: env.ALARM_ACK_LINK_TTL_HOURS,
    },
    privacy: {
      exportTtlHours: env.PRIVACY_EXPORT_TTL_HOURS,
      exportLinkTtlMinutes: env.PRIVACY_EXPORT_LINK_TTL_MINUTES,
    },
    sessions: {
      meetingBaseUrl: env.MEETING_BASE_URL.replace(/\/+$/, ''),
      cancelNoticeHours: env.SESSION_CANCEL_NOTICE_HOURS,
      reminderMinutes: [...new Set(env.SESSION_REMINDER_MINUTES)].sort((a, b) => b - a),
    },
    companion: {
      model: env.COMPANION_MODEL_URL
        ? { baseUrl: env.COMPANION_MODEL_URL.replace(/\/+$/, ''), apiKey: env.COMPANION_MODEL_API_KEY ?? null, name: env.COMPANION_MODEL }
        : null,
      timeoutMs: env.COMPANION_MODEL_TIMEOUT_MS,
      retries: env.COMPANION_MODEL_RETRIES,
      memoryMessages: env.COMPANION_MEMORY_MESSAGES,
    },
    risk: {
      ackDeadlineMinutes: env.RISK_ACK_DEADLINE_MINUTES,
      reescalateEveryMinutes: env.RISK_REESCALATE_EVERY_MINUTES,
      joinWindowMinutes: env.RISK_JOIN_WINDOW_MINUTES,
    },
    payments: {
      stripe: env.STRIPE_SECRET_KEY
        ? { secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? '', apiUrl: env.STRIPE_API_URL }
        : null,
    },
    encryption: {
      current: keyBytes(secrets.ENCRYPTION_KEY),
      previous: (env.ENCRYPTION_KEYS_PREVIOUS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean)
        .map(keyBytes),
    },
  };
}
