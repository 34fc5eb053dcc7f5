/** Every kind of event the audit log records. Later features add theirs (e.g. clinical-data access). */
export const AUDIT_ACTIONS = [
  'auth.login_succeeded',
  'auth.login_failed',
  'auth.account_locked',
  'auth.refresh_token_reused',
  'auth.logout_all',
  'auth.session_revoked',
  'auth.password_changed',
  'auth.2fa_enabled',
  'auth.2fa_disabled',
  'auth.recovery_code_used',
  'auth.recovery_codes_regenerated',
  'auth.api_token_created',
  'auth.api_token_revoked',
  'user.registered',
  'user.email_changed',
  'user.deleted',
  /** A user asked for their data archive, or downloaded it. */
  'privacy.export_requested',
  'privacy.export_downloaded',
  'admin.user_created',
  'admin.provider_verified',
  'admin.provider_unverified',
  'admin.user_suspended',
  'admin.user_reactivated',
  'admin.role_changed',
  'chat.messages_read_by_staff',
  'care.grant_created',
  'care.grant_changed',
  'care.grant_revoked',
  /** A care-team therapist read a client's shared mood log, goals, screeners or alarms. */
  'care.shared_data_read',
  /** A screener answer (PHQ-9 item 9 above 0) raised a safety signal. */
  'safety.signal_raised',
  'alarm.triggered',
  'alarm.resolved',
  /** Crisis language or a screener answer raised a risk flag (the entry names the source, never the text). */
  'risk.flag_raised',
  /** A further detection joined an open flag instead of paging again. */
  'risk.flag_joined',
  /** Nobody acknowledged a flag in time: it was paged to all staff again. */
  'risk.flag_escalated',
  'risk.flag_acknowledged',
  'risk.flag_noted',
  'risk.flag_resolved',
  /** A care-team therapist (or staff) read a client's safety plan. */
  'safety_plan.read',
  /** A new version of a safety plan was written (by the client or their therapist). */
  'safety_plan.written',
  /** An admin ran the retention job now (the entry holds the counts deleted per kind). */
  'retention.run',
  /** Staff assigned a support ticket to someone, or unassigned it. */
  'ticket.assigned',
  'ticket.unassigned',
  /** Staff changed a ticket's status or priority (the entry holds from and to). */
  'ticket.status_changed',
  'ticket.priority_changed',
  /** Staff added an internal note (the entry never holds its text). */
  'ticket.note_added',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
