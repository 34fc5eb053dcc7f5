/** The notifications module's public vocabulary: what kind of thing a notification is about. */
export enum NotificationType {
  Message = 'message',
  Emergency = 'emergency',
  Support = 'support',
  System = 'system',
  /** A screener answer raised a safety signal (the text never carries the answers). */
  SafetySignal = 'safety_signal',
  /** A user raised an alarm (the text never carries its message or location). */
  Alarm = 'alarm',
  /** A session was booked, rescheduled, cancelled, completed or marked a no-show. */
  Session = 'session',
  /** A group event ticket: booked, cancelled, or moved up from the waitlist. */
  EventTicket = 'event_ticket',
  /** Crisis language was noticed in what the user wrote: helplines and their safety plan are a tap away (never the text). */
  CrisisSupport = 'crisis_support',
  /** For the care team and staff: someone may be in crisis (who and where, never the text). */
  RiskFlag = 'risk_flag',
  /** A support ticket: a reply or a change for its requester; a new ticket or reply for staff (never its text). */
  Ticket = 'ticket',
  /** A subscription changed state (active, past due, cancelled) or a payment failed. */
  Subscription = 'subscription',
}

/** A notification another feature sends: who and what, never clinical content. */
export interface NotificationContent {
  title: string;
  message: string;
  type: NotificationType;
  /** The object the notification is about (an alarm, a screener result, …), for the app to open. */
  relatedId: string | null;
}
