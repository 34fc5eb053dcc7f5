/** What started a retention run: its schedule, or a staff member (`POST /admin/retention/run`). */
export type RetentionTrigger = 'schedule' | 'staff';

/** The kinds of record the retention job deletes, each by its owner. */
export const RETENTION_KINDS = ['companion_conversations', 'notifications', 'auth_sessions', 'api_tokens', 'mail_messages', 'job_records'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** Rows deleted per kind in one run; null: the kind is kept for ever (its period is 0). */
export type RetentionCounts = Record<RetentionKind, number | null>;
