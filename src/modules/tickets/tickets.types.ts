/** The tickets module's public vocabulary. */

/** Where a ticket stands: staff work on `open`, wait on the user in `pending_on_user`; `resolved` can be reopened, `closed` is done. */
export const TICKET_STATUSES = ['open', 'pending_on_user', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_CATEGORIES = ['account', 'technical', 'billing', 'sessions', 'safety', 'feedback', 'other'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

/** Lowest first: stored as the rank (1–4) so the dashboard sorts by urgency. */
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const priorityRank = (priority: TicketPriority): number => TICKET_PRIORITIES.indexOf(priority) + 1;
export const priorityOf = (rank: number): TicketPriority => TICKET_PRIORITIES[rank - 1] ?? 'normal';
