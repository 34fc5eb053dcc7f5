/** The alarms module's public vocabulary. */
export enum AlarmStatus {
  Open = 'open',
  Resolved = 'resolved',
}

/** Where a delivery stands; `suppressed`: the contact's hourly cap was reached, nothing was sent. */
export enum DeliveryStatus {
  Queued = 'queued',
  Sent = 'sent',
  Failed = 'failed',
  Acknowledged = 'acknowledged',
  Suppressed = 'suppressed',
}

export enum DeliveryRecipient {
  Contact = 'contact',
  Therapist = 'therapist',
}

/** email: a message with an acknowledgement link; in_app: a stored notification plus a live socket event. */
export enum DeliveryChannel {
  Email = 'email',
  InApp = 'in_app',
}

/** alarm: the alert itself; all_clear: the "I'm safe now" message after the alarm was resolved. */
export enum DeliveryPurpose {
  Alarm = 'alarm',
  AllClear = 'all_clear',
}
