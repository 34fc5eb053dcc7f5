import type { ChargeStatus, PaymentProviderName } from '../payments.types';

/** What a provider needs to know about a plan to bill it. */
export interface BillablePlan {
  id: string;
  name: string;
  displayName: string;
  priceMonthlyMinor: number;
  currency: string;
  providerPriceId: string | null;
}

export interface StartSubscriptionInput {
  userId: string;
  email: string | null;
  /** The customer this user already has at the provider (from an earlier subscription), if any. */
  customerId: string | null;
  plan: BillablePlan;
  paymentMethodId: string;
  /** Our subscription's id: the provider's idempotency key and metadata. */
  subscriptionId: string;
}

export interface StartedSubscription {
  customerId: string | null;
  subscriptionId: string;
  /** Set when the provider made a price for the plan (Stripe); the plan keeps it. */
  createdPriceId: string | null;
  /** The first period's payment. */
  payment: ProviderCharge;
  currentPeriodEnd: Date | null;
}

export interface ChargeInput {
  userId: string;
  amountMinor: number;
  currency: string;
  paymentMethodId: string;
  customerId: string | null;
  description: string;
  /** Stable per payment: a retried call must not charge twice. */
  idempotencyKey: string;
  metadata: Record<string, string>;
}

export interface ProviderCharge {
  providerPaymentId: string;
  status: ChargeStatus;
  clientSecret: string | null;
  failureMessage: string | null;
}

/**
 * The payment-provider port: the built-in sandbox (default) or Stripe (when its secret key
 * is configured). Adapters throw AppException for a bad payment method
 * (PAYMENTS.UNKNOWN_PAYMENT_METHOD) or an unreachable provider (PAYMENTS.PROVIDER_UNAVAILABLE);
 * a declined card is a result (`declined`), not an error.
 */
export abstract class PaymentProvider {
  abstract readonly name: PaymentProviderName;

  /** Creates the subscription at the provider and attempts its first payment at once. */
  abstract startSubscription(input: StartSubscriptionInput): Promise<StartedSubscription>;

  /** Cancels at the end of the paid period (`atPeriodEnd`) or now. */
  abstract cancelSubscription(providerSubscriptionId: string, atPeriodEnd: boolean): Promise<void>;

  abstract charge(input: ChargeInput): Promise<ProviderCharge>;

  /** Refunds a succeeded payment in full; returns the provider's refund id. */
  abstract refund(providerPaymentId: string, idempotencyKey: string): Promise<string>;
}
