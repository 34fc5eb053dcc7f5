/**
 * A reminder's status: `scheduled` until its job sends it (`sent`); `cancelled` once the
 * session is cancelled or closed; `skipped` when its time had already passed when the
 * session was booked or moved. A reschedule puts every reminder back to `scheduled` (or
 * `skipped`) at its new time.
 */
export enum ReminderStatus {
  Scheduled = 'scheduled',
  Sent = 'sent',
  Cancelled = 'cancelled',
  Skipped = 'skipped',
}

export const REMINDER_STATUSES: readonly ReminderStatus[] = [ReminderStatus.Scheduled, ReminderStatus.Sent, ReminderStatus.Cancelled, ReminderStatus.Skipped];
