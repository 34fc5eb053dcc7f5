/** Contract between payments and the features that charge users (events). */
/** A payment method id as every provider port takes it (Stripe's `pm_…`, the sandbox's test ids): one rule for every route that accepts one. */
export const PAYMENT_METHOD_PATTERN = /^[A-Za-z0-9_]{1,255}$/;

export type ChargeStatus = 'succeeded' | 'declined' | 'requires_action';

export interface ChargeRequest {
  userId: string;
  /** Integer minor units, > 0. */
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** As the client sent it. */
  paymentMethodId: string;
  purpose: 'event_ticket';
  /** (purpose, referenceId) is the idempotency key: a second call returns the first result. */
  referenceId: string;
  /** Shown on the receipt, no clinical content. */
  description: string;
}

export interface ChargeResult {
  paymentId: string;
  status: ChargeStatus;
  clientSecret: string | null;
  failureMessage: string | null;
}

export interface RefundResult {
  paymentId: string;
  status: 'refunded' | 'not_refundable';
}

/** What a plan unlocks; read only through EntitlementsService. */
export interface PlanEntitlements {
  rate_tier: 'standard' | 'premium';
  /** Messages a day to the AI companion (a later feature reads it). */
  companion_daily_messages: number;
}

export const SUBSCRIPTION_STATUSES = ['incomplete', 'active', 'past_due', 'cancelled'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATUSES)[number];

export const PAYMENT_STATUSES = ['succeeded', 'declined', 'requires_action', 'failed', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_PURPOSES = ['subscription', 'event_ticket'] as const;
export type PaymentPurpose = (typeof PAYMENT_PURPOSES)[number];

export const PAYMENT_PROVIDERS = ['sandbox', 'stripe'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/** The plan everyone without a paying subscription is on. */
export const FREE_PLAN_NAME = 'free';

/** Sandbox test payment methods, named like Stripe's test ids. */
export const SANDBOX_PAYMENT_METHODS = {
  succeeds: 'pm_card_visa',
  declined: 'pm_card_chargeDeclined',
  requiresAction: 'pm_card_authenticationRequired',
} as const;

/** Revenue of one plan (or of event tickets) in one currency over a period (the dashboard's revenue). */
export interface RevenueLine {
  /** The plan's name for subscription payments; null for payments of other purposes (event tickets). */
  plan: string | null;
  purpose: PaymentPurpose;
  /** ISO 4217, upper case. */
  currency: string;
  /** Sum of the succeeded payments, integer minor units. */
  amountMinor: number;
  /** How many payments make the sum. */
  payments: number;
}
