import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Stripe from 'stripe';
import { AppException } from 'src/common/errors/app.exception';
import { AppConfig } from 'src/config/app-config';
import { DataSource, EntityManager } from 'typeorm';
import { Payment } from './entities/payment.entity';
import { PaymentWebhookEvent } from './entities/webhook-event.entity';
import { STRIPE_CLIENT } from './providers/stripe-client';
import { PaymentsService } from './payments.service';
import { SubscriptionState } from './payments.types';
import { SubscriptionChange, SubscriptionsService } from './subscriptions.service';

/** Stripe's subscription statuses in Haven's four. */
const STATUS_MAP = new Map<string, SubscriptionState>([
  ['active', 'active'],
  ['trialing', 'active'],
  ['incomplete', 'incomplete'],
  ['past_due', 'past_due'],
  ['unpaid', 'past_due'],
  ['paused', 'past_due'],
  ['canceled', 'cancelled'],
  ['incomplete_expired', 'cancelled'],
]);

const idOf = (value: string | { id: string } | null | undefined): string | null => (value == null ? null : typeof value === 'string' ? value : value.id);
const dateOf = (seconds: number | null | undefined): Date | undefined => (seconds ? new Date(seconds * 1000) : undefined);

export interface WebhookOutcome {
  event_id: string;
  type: string;
  /** false when the event had been handled already (a redelivery). */
  processed: boolean;
}

/**
 * Stripe's webhooks: the signature is checked against the raw body, then each event is
 * handled once: its id is inserted first, in the transaction that applies it, and the
 * primary key decides between concurrent deliveries (the loser waits for the winner's
 * commit and then inserts nothing). Unknown event types are stored and ignored.
 */
@Injectable()
export class StripeWebhooksService {
  private readonly logger = new Logger(StripeWebhooksService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
    private readonly subscriptions: SubscriptionsService,
    private readonly payments: PaymentsService,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookOutcome> {
    const settings = this.config.payments.stripe;
    if (!settings || !this.stripe) throw new AppException('PAYMENTS.PROVIDER_NOT_CONFIGURED', 'Stripe is not configured.');
    if (!rawBody || !signature) throw badSignature();
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, settings.webhookSecret);
    } catch {
      throw badSignature();
    }
    const processed = await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(PaymentWebhookEvent)
        .values({ id: event.id, provider: 'stripe', type: event.type.slice(0, 100) })
        .orIgnore()
        .returning(['id'])
        .execute();
      if ((inserted.raw as unknown[]).length === 0) return false;
      await this.apply(event, manager);
      return true;
    });
    return { event_id: event.id, type: event.type, processed };
  }

  private async apply(event: Stripe.Event, manager: EntityManager): Promise<void> {
    // Ifs, not a switch: Stripe's event union has hundreds of members this endpoint ignores.
    if (event.type === 'invoice.paid') return this.invoicePaid(event.data.object, manager);
    if (event.type === 'invoice.payment_failed') return this.invoiceFailed(event.data.object, manager);
    if (event.type === 'customer.subscription.updated') return this.subscriptionChanged(event.data.object, false, manager);
    if (event.type === 'customer.subscription.deleted') return this.subscriptionChanged(event.data.object, true, manager);
    if (event.type === 'payment_intent.succeeded') return this.intentSettled(event.data.object, 'succeeded', manager);
    if (event.type === 'payment_intent.payment_failed') return this.intentSettled(event.data.object, 'failed', manager);
    this.logger.debug(`Ignored Stripe event ${event.type}`);
  }

  private async invoicePaid(invoice: Stripe.Invoice, manager: EntityManager): Promise<void> {
    const subscription = await this.subscriptionOf(invoice, manager);
    if (!subscription) return;
    await this.recordInvoice(invoice, subscription.id, subscription.userId, 'succeeded', null, manager);
    await this.subscriptions.applyChange(subscription.id, { status: 'active', currentPeriodEnd: dateOf(invoice.lines?.data[0]?.period?.end) }, manager);
  }

  private async invoiceFailed(invoice: Stripe.Invoice, manager: EntityManager): Promise<void> {
    const subscription = await this.subscriptionOf(invoice, manager);
    if (!subscription) return;
    await this.recordInvoice(invoice, subscription.id, subscription.userId, 'failed', 'The payment failed.', manager);
    // A first payment that fails leaves it incomplete; a renewal that fails makes it past due.
    if (subscription.status === 'active') await this.subscriptions.applyChange(subscription.id, { status: 'past_due' }, manager);
  }

  private async subscriptionChanged(object: Stripe.Subscription, deleted: boolean, manager: EntityManager): Promise<void> {
    const subscription = await this.subscriptions.byProviderId(object.id, manager);
    if (!subscription) return;
    const change: SubscriptionChange = {
      status: deleted ? 'cancelled' : (STATUS_MAP.get(object.status) ?? subscription.status),
      cancelAtPeriodEnd: object.cancel_at_period_end,
      currentPeriodEnd: dateOf(object.items?.data[0]?.current_period_end),
    };
    await this.subscriptions.applyChange(subscription.id, change, manager);
  }

  private async intentSettled(intent: Stripe.PaymentIntent, outcome: 'succeeded' | 'failed', manager: EntityManager): Promise<void> {
    const repository = manager.getRepository(Payment);
    const payment = await repository.findOne({ where: { provider: 'stripe', providerPaymentId: intent.id }, lock: { mode: 'pessimistic_write' } });
    if (!payment || payment.status === outcome || payment.status === 'refunded') return;
    await repository.update(
      { id: payment.id },
      { status: outcome, clientSecret: null, failureMessage: outcome === 'failed' ? (intent.last_payment_error?.message ?? 'The payment failed.').slice(0, 500) : null },
    );
    await this.payments.settled(payment, outcome, manager);
  }

  private async subscriptionOf(invoice: Stripe.Invoice, manager: EntityManager) {
    const providerSubscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
    return providerSubscriptionId ? this.subscriptions.byProviderId(providerSubscriptionId, manager) : null;
  }

  /** One payment row per invoice: the first invoice's was written when subscribing; renewals are added here. */
  private async recordInvoice(
    invoice: Stripe.Invoice,
    subscriptionId: string,
    userId: string,
    status: 'succeeded' | 'failed',
    failureMessage: string | null,
    manager: EntityManager,
  ): Promise<void> {
    const invoiceId = invoice.id;
    const repository = manager.getRepository(Payment);
    const existing = await repository.findOne({ where: { provider: 'stripe', providerPaymentId: invoiceId }, lock: { mode: 'pessimistic_write' } });
    if (existing) {
      await repository.update({ id: existing.id }, { status, failureMessage, clientSecret: status === 'succeeded' ? null : existing.clientSecret });
      return;
    }
    await repository.insert({
      userId,
      amountMinor: status === 'succeeded' ? invoice.amount_paid : invoice.amount_due,
      currency: invoice.currency.toUpperCase(),
      status,
      purpose: 'subscription',
      referenceId: subscriptionId,
      description: 'Subscription renewal',
      provider: 'stripe',
      providerPaymentId: invoiceId,
      paymentMethodId: null,
      clientSecret: null,
      failureMessage,
    });
  }
}

const badSignature = (): AppException => new AppException('PAYMENTS.BAD_SIGNATURE', 'The webhook signature is missing or does not match.');
