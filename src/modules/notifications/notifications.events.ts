import { declareServerEvents } from 'src/infrastructure/realtime/server-events';
import type { NotificationDto } from './notifications.dto';

/** The notifications module's server events: a stored notification, pushed to its user. */
export interface NotificationServerEvents {
  notification: NotificationDto;
}

declareServerEvents<NotificationServerEvents>({ notification: true });

declare module 'src/infrastructure/realtime/server-events' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventMap extends NotificationServerEvents {}
}
