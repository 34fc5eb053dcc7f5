import { declareServerEvents } from 'src/infrastructure/realtime/server-events';

/** The session reminders module's server events. */
export interface SessionReminderServerEvents {
  /** To both people of a session: it starts soon (`minutes_before` is the reminder's offset). No notes, no other content. */
  session_reminder: { session_id: string; reminder_id: string; scheduled_at: string; minutes_before: number; with_user: { id: string; name: string } };
}

declareServerEvents<SessionReminderServerEvents>({ session_reminder: true });

declare module 'src/infrastructure/realtime/server-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventMap extends SessionReminderServerEvents {}
}
