import { declareServerEvents } from 'src/infrastructure/realtime/server-events';
import type { AlarmDeliveryDto } from './alarms.dto';

/** The alarms module's server events. */
export interface AlarmServerEvents {
  /** To the person who raised the alarm: a delivery changed (sent, failed, acknowledged by its recipient). */
  alarm_delivery_updated: { alarm_id: string; delivery: AlarmDeliveryDto };
  /** To the user's Haven therapist (their in-app alert) and to staff: someone raised an alarm. */
  alarm_raised: { alarm_id: string; user: { id: string; first_name: string; last_name: string }; triggered_at: string };
  /** To the person, staff, and the therapist alerted in the app: the alarm was resolved. */
  alarm_resolved: { alarm_id: string; resolved_at: string };
}

declareServerEvents<AlarmServerEvents>({ alarm_delivery_updated: true, alarm_raised: true, alarm_resolved: true });

declare module 'src/infrastructure/realtime/server-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventMap extends AlarmServerEvents {}
}
