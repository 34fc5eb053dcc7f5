import type { SessionType } from 'src/modules/providers/providers.types';

/**
 * A care session's status. Transitions (and who may make them):
 * - upcoming → upcoming: reschedule (the client or the provider; same availability and overlap rules);
 * - upcoming → cancelled: the client, the provider, or staff with `sessions:oversee` (any time before it
 *   is closed; inside the notice window it is recorded as a late cancellation);
 * - upcoming → completed / no_show: the provider, once the session has started.
 * completed, cancelled and no_show are final. Only upcoming sessions hold time.
 */
export enum SessionStatus {
  Upcoming = 'upcoming',
  Completed = 'completed',
  Cancelled = 'cancelled',
  NoShow = 'no_show',
}

export const SESSION_STATUSES: readonly SessionStatus[] = [SessionStatus.Upcoming, SessionStatus.Completed, SessionStatus.Cancelled, SessionStatus.NoShow];

/** What changed about a session (hooks and the `session_updated` event). */
export type SessionChangeKind = 'booked' | 'rescheduled' | 'cancelled' | 'completed' | 'no_show';

/** A session as other features see it (reminders, feedback): no clinical text. */
export interface SessionSnapshot {
  id: string;
  clientId: string;
  providerId: string;
  type: SessionType;
  status: SessionStatus;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
}

/** A user's session counts (SafeTalk's profile stats). */
export interface SessionCounts {
  total: number;
  completed: number;
}

/** The sessions starting in one ISO week (UTC), by status (the operations dashboard). */
export interface WeekSessionCounts {
  /** Monday 00:00 UTC of the week `now` falls in. */
  weekStart: Date;
  /** The next Monday 00:00 UTC (exclusive). */
  weekEnd: Date;
  counts: Map<SessionStatus, number>;
}
