/** The group-events module's public vocabulary. */
export enum EventStatus {
  Scheduled = 'scheduled',
  Cancelled = 'cancelled',
}

/**
 * A ticket's life: `pending_payment` holds a seat while a charge runs or waits for the
 * buyer's action (3-D Secure); `confirmed` holds a paid (or free) seat; `waitlisted`
 * waits in line. The last three are final: cancelled (by the buyer, or with the event),
 * payment_failed (declined at booking or on promotion), expired (a payment hold that ran out).
 */
export enum TicketStatus {
  PendingPayment = 'pending_payment',
  Confirmed = 'confirmed',
  Waitlisted = 'waitlisted',
  Cancelled = 'cancelled',
  PaymentFailed = 'payment_failed',
  Expired = 'expired',
}

/** Tickets that hold a seat (counted in `registered_count`). */
/** An event reminder: due later, sent, cancelled with the event, or skipped (its time had passed when scheduled). */
export enum EventReminderStatus {
  Scheduled = 'scheduled',
  Sent = 'sent',
  Cancelled = 'cancelled',
  Skipped = 'skipped',
}

export const SEAT_HOLDING: readonly TicketStatus[] = [TicketStatus.PendingPayment, TicketStatus.Confirmed];

/** Tickets that are still alive: a user holds at most one of these per event. */
export const ACTIVE_TICKET: readonly TicketStatus[] = [TicketStatus.PendingPayment, TicketStatus.Confirmed, TicketStatus.Waitlisted];
