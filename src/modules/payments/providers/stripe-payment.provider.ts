import { Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { AppException } from 'src/common/errors/app.exception';
import { ChargeStatus } from '../payments.types';
import { ChargeInput, PaymentProvider, ProviderCharge, StartedSubscription, StartSubscriptionInput } from './payment-provider';

const unavailable = (): AppException =>
  new AppException('PAYMENTS.PROVIDER_UNAVAILABLE', 'The payment provider could not be reached; nothing was charged. Try again later.');

const idOf = (value: string | { id: string } | null | undefined): string | null => (value == null ? null : typeof value === 'string' ? value : value.id);

/**
 * Stripe through its official SDK. Subscriptions are created with the customer's payment
 * method as default and `payment_behavior: 'allow_incomplete'`: Stripe tries the first
 * invoice at once, so the answer is active, or incomplete with the invoice's
 * confirmation secret (further action) or a declined payment. Later changes arrive by
 * webhook. Subscription payments are recorded by invoice id, one-off charges by
 * PaymentIntent id.
 */
@Injectable()
export class StripePaymentProvider extends PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly logger = new Logger(StripePaymentProvider.name);

  constructor(private readonly stripe: Stripe) {
    super();
  }

  async startSubscription(input: StartSubscriptionInput): Promise<StartedSubscription> {
    const idempotency = `haven-subscription-${input.subscriptionId}`;
    return this.call(async () => {
      const customerId =
        input.customerId ??
        (
          await this.stripe.customers.create(
            { email: input.email ?? undefined, metadata: { haven_user_id: input.userId } },
            { idempotencyKey: `${idempotency}-customer` },
          )
        ).id;
      await this.stripe.paymentMethods.attach(input.paymentMethodId, { customer: customerId }, { idempotencyKey: `${idempotency}-attach` });
      let priceId = input.plan.providerPriceId;
      let createdPriceId: string | null = null;
      if (!priceId) {
        const price = await this.stripe.prices.create(
          {
            currency: input.plan.currency.toLowerCase(),
            unit_amount: input.plan.priceMonthlyMinor,
            recurring: { interval: 'month' },
            product_data: { name: input.plan.displayName, metadata: { haven_plan: input.plan.name } },
            metadata: { haven_plan_id: input.plan.id },
          },
          { idempotencyKey: `haven-price-${input.plan.id}-${input.plan.priceMonthlyMinor}-${input.plan.currency}` },
        );
        priceId = price.id;
        createdPriceId = price.id;
      }
      const subscription = await this.stripe.subscriptions.create(
        {
          customer: customerId,
          items: [{ price: priceId }],
          default_payment_method: input.paymentMethodId,
          payment_behavior: 'allow_incomplete',
          metadata: { haven_subscription_id: input.subscriptionId, haven_user_id: input.userId },
          expand: ['latest_invoice.confirmation_secret', 'latest_invoice.payments'],
        },
        { idempotencyKey: idempotency },
      );
      const invoice = typeof subscription.latest_invoice === 'object' ? subscription.latest_invoice : null;
      if (!invoice?.id) throw unavailable();
      const periodEnd = subscription.items.data[0]?.current_period_end;
      return {
        customerId,
        subscriptionId: subscription.id,
        createdPriceId,
        payment: await this.firstPayment(subscription, invoice),
        currentPeriodEnd: periodEnd ? new Date(periodEnd * 1000) : null,
      };
    });
  }

  async cancelSubscription(providerSubscriptionId: string, atPeriodEnd: boolean): Promise<void> {
    await this.call(async () => {
      if (atPeriodEnd) await this.stripe.subscriptions.update(providerSubscriptionId, { cancel_at_period_end: true });
      else await this.stripe.subscriptions.cancel(providerSubscriptionId);
    });
  }

  async charge(input: ChargeInput): Promise<ProviderCharge> {
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: input.amountMinor,
          currency: input.currency.toLowerCase(),
          payment_method: input.paymentMethodId,
          customer: input.customerId ?? undefined,
          confirm: true,
          description: input.description,
          metadata: { ...input.metadata, haven_user_id: input.userId },
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return { providerPaymentId: intent.id, status: chargeStatusOf(intent.status), clientSecret: intent.client_secret, failureMessage: intent.last_payment_error?.message ?? null };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError && error.payment_intent?.id) {
        return { providerPaymentId: error.payment_intent.id, status: 'declined', clientSecret: null, failureMessage: error.message };
      }
      throw this.translate(error);
    }
  }

  async refund(providerPaymentId: string, idempotencyKey: string): Promise<string> {
    return this.call(async () => (await this.stripe.refunds.create({ payment_intent: providerPaymentId }, { idempotencyKey })).id);
  }

  /** The first invoice's outcome: paid, or its PaymentIntent's state (declined or waiting for the customer). */
  private async firstPayment(subscription: Stripe.Subscription, invoice: Stripe.Invoice): Promise<ProviderCharge> {
    const providerPaymentId = invoice.id;
    if (subscription.status === 'active' || subscription.status === 'trialing' || invoice.status === 'paid') {
      return { providerPaymentId, status: 'succeeded', clientSecret: null, failureMessage: null };
    }
    const intentId = idOf(invoice.payments?.data[0]?.payment.payment_intent);
    const intent = intentId ? await this.stripe.paymentIntents.retrieve(intentId) : null;
    if (intent?.status === 'requires_action' || intent?.status === 'requires_confirmation') {
      return { providerPaymentId, status: 'requires_action', clientSecret: invoice.confirmation_secret?.client_secret ?? intent.client_secret, failureMessage: null };
    }
    return { providerPaymentId, status: 'declined', clientSecret: null, failureMessage: intent?.last_payment_error?.message ?? 'The payment was declined.' };
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** A payment method Stripe does not know is the client's mistake; anything else is Stripe's. */
  private translate(error: unknown): unknown {
    if (error instanceof AppException) return error;
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.param === 'payment_method') {
      return new AppException('PAYMENTS.UNKNOWN_PAYMENT_METHOD', 'Unknown payment method.', { payment_method_id: [error.message] });
    }
    if (error instanceof Stripe.errors.StripeCardError) {
      return new AppException('PAYMENTS.CARD_DECLINED', error.message);
    }
    this.logger.warn(`Stripe request failed: ${error instanceof Error ? error.message : String(error)}`);
    return unavailable();
  }
}

function chargeStatusOf(status: Stripe.PaymentIntent.Status): ChargeStatus {
  if (status === 'succeeded' || status === 'processing' || status === 'requires_capture') return 'succeeded';
  if (status === 'requires_action' || status === 'requires_confirmation') return 'requires_action';
  return 'declined';
}
