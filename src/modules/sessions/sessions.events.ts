import { declareServerEvents } from 'src/infrastructure/realtime/server-events';
import type { SessionChangeKind, SessionStatus } from './sessions.types';

/** The sessions module's server events. */
export interface SessionServerEvents {
  /** To the client and the provider: a session was booked, rescheduled, cancelled, completed or marked a no-show. */
  session_updated: { session_id: string; status: SessionStatus; change: SessionChangeKind; scheduled_at: string; duration_minutes: number };
}

declareServerEvents<SessionServerEvents>({ session_updated: true });

declare module 'src/infrastructure/realtime/server-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventMap extends SessionServerEvents {}
}
