import { plainToInstance, Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  return value;
};
/** An AES-256 key: 32 bytes as standard base64 (44 characters with padding) or as 64 hex digits. */
const KEY = '(?:[A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})';
const ENCRYPTION_KEY_PATTERN = new RegExp(`^${KEY}$`);
const ENCRYPTION_KEY_LIST_PATTERN = new RegExp(`^${KEY}(?:\\s*,\\s*${KEY})*$`);

const emptyToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);
/** A number; an empty value is refused rather than read as 0 (for retention, 0 means "for ever"). */
const wholeNumber = ({ value }: { value: unknown }): unknown => (value === '' ? Number.NaN : Number(value));

/**
 * Every environment variable Haven reads, with its default. The README's configuration
 * table and `.env.example` list the same variables; keep the three in step.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * API processes serving the port (Node cluster), e.g. one per CPU core. Above 1 needs
   * DATABASE_URL and REDIS_URL, and Socket.IO then accepts WebSocket connections only
   * (long-polling would need sticky sessions).
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(64)
  API_WORKERS = 1;

  /** Public base URL of the API, used in pagination links and the startup banner. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_URL?: string;

  /** PostgreSQL connection string. Unset: embedded PGlite in DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must start with postgres:// or postgresql://' })
  DATABASE_URL?: string;

  /** Where the embedded database and local files live; `memory://` keeps the database in memory. */
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** At least 2: TypeORM holds one connection while it opens another during start-up. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(2)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Redis connection string. Unset: in-process jobs, in-memory rate limits and Socket.IO. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string;

  /** Prefix for every Redis key Haven writes (queues, rate limits), so deployments can share a Redis. */
  @IsString()
  @Matches(/^[a-z0-9_-]{1,32}$/i, { message: 'REDIS_PREFIX must be 1-32 letters, digits, - or _' })
  REDIS_PREFIX = 'haven';

  /** Whether the API process also runs the job processors (turn off when `npm run start:worker` runs them). */
  @Transform(toBoolean)
  @IsBoolean()
  JOBS_RUN_IN_API = true;

  /** How many times a job is tried before it is recorded as failed. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(50)
  JOB_ATTEMPTS = 5;

  /** Delay before a job's first retry in ms; doubles with each further retry. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  JOB_BACKOFF_MS = 1000;

  /**
   * Retention: days a kind of record is kept before the retention job deletes it; 0 keeps
   * it for ever. Companion transcripts count from their last message.
   */
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  @Max(3650)
  RETENTION_COMPANION_DAYS = 90;

  /** Days a notification (read or not) is kept after it was last updated; 0 keeps them for ever. */
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  @Max(3650)
  RETENTION_NOTIFICATIONS_DAYS = 30;

  /** Days an ended sign-in session (revoked or expired) and an ended API token are kept; 0 keeps them for ever. */
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  @Max(3650)
  RETENTION_SESSIONS_DAYS = 30;

  /** Days a sent (or outbox) or finally failed email is kept; pending mail is never deleted; 0 keeps them for ever. */
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  @Max(3650)
  RETENTION_MAIL_DAYS = 30;

  /** Days finished job records (done and failed jobs, failure records staff list) are kept; 0 keeps them for ever. */
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  @Max(3650)
  RETENTION_JOB_RECORDS_DAYS = 30;

  /** Seconds between runs of the retention job (one run per interval across all processes). */
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(7 * 86_400)
  RETENTION_INTERVAL_SECONDS = 3600;

  /** Rows one delete statement of the retention job removes at most (short statements, short locks). */
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RETENTION_BATCH_SIZE = 1000;

  /** SMTP server for outgoing mail, e.g. smtp://user:pass@host:587. Unset: mail is kept in the outbox table. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must start with smtp:// or smtps://' })
  SMTP_URL?: string;

  @IsEmail({ require_tld: false })
  MAIL_FROM = 'haven@localhost';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /**
   * Tag every line logged while a request is served with its request id (the access and
   * error lines always carry it). Off by default: it costs CPU on every request (see README).
   */
  @Transform(toBoolean)
  @IsBoolean()
  LOG_REQUEST_IDS = false;

  /** Largest accepted request body in bytes. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  /** Comma-separated allowed CORS origins; `*` allows any. */
  @IsString()
  CORS_ORIGINS = '*';

  /** Trust X-Forwarded-* headers (set behind a load balancer). */
  @Transform(toBoolean)
  @IsBoolean()
  TRUST_PROXY = false;

  /** Bearer token for the Prometheus scrape endpoint `/metrics/prometheus`; unset disables it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @Transform(toBoolean)
  @IsBoolean()
  RATE_LIMIT_ENABLED = true;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  RATE_LIMIT_GENERAL = 100;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  RATE_LIMIT_AUTH = 10;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  RATE_LIMIT_CHAT = 500;

  /** Premium plans multiply the general and chat limits by this (HumanLink: 5,000 requests an hour instead of 1,000). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100)
  RATE_LIMIT_PREMIUM_MULTIPLIER = 5;

  /**
   * How often a connected socket's credentials are checked again (seconds): on its next
   * event after this long, and by a sweep over idle sockets. Revoked sessions, suspended
   * or deleted accounts lose their sockets within this time.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(3600)
  SOCKET_REAUTH_SECONDS = 30;

  /** A second alarm from the same user within this many seconds of an open one returns the open one instead of notifying everyone again. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(86_400)
  ALARM_REPEAT_WINDOW_SECONDS = 300;

  /** Alarm emails one emergency contact may receive per hour; further ones are recorded as suppressed. Therapists are never capped. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100)
  ALARM_CONTACT_EMAILS_PER_HOUR = 3;

  /** How long an alarm email's acknowledgement link works (hours). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  ALARM_ACK_LINK_TTL_HOURS = 72;

  /** How long a built data archive is kept for its owner to download (hours); then it is removed. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  PRIVACY_EXPORT_TTL_HOURS = 72;

  /** How long a data archive's download link works (minutes); each link works once. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  PRIVACY_EXPORT_LINK_TTL_MINUTES = 15;

  /** Base URL of the Jitsi-compatible meeting service voice and video sessions get their rooms on. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'MEETING_BASE_URL must be an http(s) URL' })
  MEETING_BASE_URL = 'https://meet.jit.si';

  /** How many hours before its start a session may still be cancelled or rescheduled without being marked late. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(24 * 14)
  SESSION_CANCEL_NOTICE_HOURS = 24;

  /** Minutes before a session its reminders go out (comma-separated, each 1-10080). */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((part) => Number(part.trim())) : value))
  @IsInt({ each: true, message: 'SESSION_REMINDER_MINUTES must be whole minutes, comma-separated' })
  @Min(1, { each: true })
  @Max(10_080, { each: true })
  @ArrayMaxSize(5)
  SESSION_REMINDER_MINUTES: number[] = [1440, 15];

  /** OpenAI-compatible chat-completions base URL for the companion (`https://api.openai.com/v1`, an Ollama or vLLM server); unset: the built-in offline responder. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'COMPANION_MODEL_URL must be an http(s) URL' })
  COMPANION_MODEL_URL?: string;

  /** API key sent as a Bearer token to COMPANION_MODEL_URL (none for a local server). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  COMPANION_MODEL_API_KEY?: string;

  /** The model name sent with each request. */
  @IsString()
  @MinLength(1)
  COMPANION_MODEL = 'gpt-4o-mini';

  /** How long the companion waits on the model (for its answer to start, or between streamed pieces) before the offline responder answers instead. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(500)
  @Max(120_000)
  COMPANION_MODEL_TIMEOUT_MS = 20_000;

  /** Retries of a failed model request (with backoff) before falling back to the offline responder. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(5)
  COMPANION_MODEL_RETRIES = 1;

  /** Recent messages (user and companion) sent to the model with each request; older ones are folded into a rolling summary. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(2)
  @Max(100)
  COMPANION_MEMORY_MESSAGES = 12;

  /** Minutes staff have to acknowledge a new risk flag before it re-escalates to all staff. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  RISK_ACK_DEADLINE_MINUTES = 10;

  /** Minutes between repeated re-escalations of a flag nobody has acknowledged. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  RISK_REESCALATE_EVERY_MINUTES = 10;

  /** Minutes in which further detections in the same conversation (or surface) join the open flag instead of paging again. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  RISK_JOIN_WINDOW_MINUTES = 60;

  /** Stripe secret key (`sk_…`); when set, payments go through Stripe instead of the built-in sandbox. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  STRIPE_SECRET_KEY?: string;

  /** Signing secret of the Stripe webhook endpoint (`whsec_…`); required with STRIPE_SECRET_KEY. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  STRIPE_WEBHOOK_SECRET?: string;

  /** Where the Stripe SDK sends its requests (default Stripe's API); for tests and proxies. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'STRIPE_API_URL must be an http(s) URL' })
  STRIPE_API_URL?: string;

  /** Where chat attachments are stored. Default: DATA_DIR/uploads (a temporary folder with DATA_DIR=memory://). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  UPLOADS_DIR?: string;

  /** Largest accepted chat attachment in bytes (default 10 MiB). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

  /**
   * Secret that signs JWTs (HS256), at least 32 characters. Required in production;
   * elsewhere, when unset, one is generated once and kept in DATA_DIR/secrets.json.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`)' })
  JWT_SECRET?: string;

  /** `iss` claim of the JWTs Haven issues and accepts. */
  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'haven';

  /** `aud` claim of the JWTs Haven issues and accepts. */
  @IsString()
  @MinLength(1)
  JWT_AUDIENCE = 'haven-api';

  /** Lifetime of an access token in seconds (15 minutes). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(30)
  @Max(86_400)
  JWT_ACCESS_TTL_SECONDS = 900;

  /** Lifetime of a refresh token (and of an idle login session) in seconds (7 days). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(60)
  @Max(31_536_000)
  JWT_REFRESH_TTL_SECONDS = 604_800;

  /** Consecutive failed sign-ins (password or 2FA code) after which an account is locked. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_MAX_FAILURES = 5;

  /** How long a locked account stays locked, in seconds. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_LOCKOUT_SECONDS = 900;

  /**
   * AES-256 key for data encrypted at rest (2FA secrets, later message bodies): 32 bytes
   * as base64 or 64 hex digits. Required in production; elsewhere generated once into
   * DATA_DIR/secrets.json when unset.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(ENCRYPTION_KEY_PATTERN, { message: 'ENCRYPTION_KEY must be 32 bytes as base64 (44 characters) or 64 hex digits (e.g. `openssl rand -base64 32`)' })
  ENCRYPTION_KEY?: string;

  /** Comma-separated earlier ENCRYPTION_KEYs, still accepted for decryption after a key rotation. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(ENCRYPTION_KEY_LIST_PATTERN, { message: 'ENCRYPTION_KEYS_PREVIOUS must be a comma-separated list of keys in the ENCRYPTION_KEY format' })
  ENCRYPTION_KEYS_PREVIOUS?: string;

  /** Issuer shown by authenticator apps for Haven's TOTP codes. */
  @IsString()
  @MinLength(1)
  TOTP_ISSUER = 'Haven';
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Parses and validates raw environment values; throws a ConfigValidationError naming each bad variable. */
export function parseEnvironment(raw: Record<string, string | undefined>): EnvironmentVariables {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const env = plainToInstance(EnvironmentVariables, defined, { exposeDefaultValues: true });
  const problems = validateSync(env, { skipMissingProperties: false }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    ),
  );
  if (env.API_WORKERS > 1 && (!env.DATABASE_URL || !env.REDIS_URL)) {
    problems.push('API_WORKERS: more than one API process needs DATABASE_URL and REDIS_URL (the embedded database and in-process jobs belong to one process)');
  }
  if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
    problems.push('STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY (webhooks are refused without a signing secret)');
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return env;
}
