import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { PaginationQueryDto } from 'src/common/pagination/pagination-query.dto';
import { violatedConstraint } from 'src/infrastructure/database/hot-queries.service';
import { DataSource, EntityManager } from 'typeorm';
import { Payment, PAYMENT_DESCRIPTION_MAX_LENGTH, PAYMENT_REFERENCE_MAX_LENGTH } from './entities/payment.entity';
import { Subscription } from './entities/subscription.entity';
import { CURRENCY_PATTERN, fromMinorUnits } from 'src/common/money/money';
import { AdminPaymentListQueryDto, PaymentDto } from './payments.dto';
import { ChargeRequest, ChargeResult, PaymentPurpose, RefundResult, RevenueLine } from './payments.types';
import { PaymentProvider } from './providers/payment-provider';

/** Sorting of payment lists. */
export const PAYMENTS_ORDERING = {
  orderable: { created_at: 'p.createdAt', amount: 'p.amountMinor', status: 'p.status' },
  defaultOrdering: '-created_at',
} satisfies ListOrdering;

/** A settled one-off payment (confirmed after an action, or moved by a provider's webhook), for the feature it paid for. */
export interface PaymentSettlement {
  paymentId: string;
  purpose: ChargeRequest['purpose'];
  referenceId: string;
  status: 'succeeded' | 'failed';
}
export type SettlementListener = (settlement: PaymentSettlement, manager: EntityManager) => Promise<void>;

export function toPaymentDto(payment: Payment): PaymentDto {
  return {
    id: payment.id,
    amount: fromMinorUnits(payment.amountMinor, payment.currency),
    currency: payment.currency,
    status: payment.status,
    purpose: payment.purpose,
    reference_id: payment.referenceId,
    description: payment.description,
    provider: payment.provider,
    provider_payment_id: payment.providerPaymentId,
    failure_message: payment.failureMessage,
    created_at: payment.createdAt.toISOString(),
    updated_at: payment.updatedAt.toISOString(),
  };
}

const chargeResultOf = (payment: Payment): ChargeResult => ({
  paymentId: payment.id,
  status: payment.status === 'succeeded' || payment.status === 'refunded' ? 'succeeded' : payment.status === 'requires_action' ? 'requires_action' : 'declined',
  clientSecret: payment.status === 'requires_action' ? payment.clientSecret : null,
  failureMessage: payment.failureMessage,
});

/**
 * One-off charges and refunds for other features (event tickets), through the configured
 * provider; payment history for users and staff. A charge is idempotent per
 * (purpose, reference): the unique index decides which of two racing calls is recorded,
 * and the provider's idempotency key keeps Stripe from charging twice.
 */
@Injectable()
export class PaymentsService {
  private readonly listeners = new Map<PaymentPurpose, SettlementListener>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly provider: PaymentProvider,
  ) {}

  /** Charges once per (purpose, referenceId); a repeated call returns the first result. */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor <= 0) throw new RangeError('amountMinor must be a positive integer');
    if (!CURRENCY_PATTERN.test(request.currency)) throw new RangeError('currency must be an upper-case ISO 4217 code');
    if (request.referenceId.length > PAYMENT_REFERENCE_MAX_LENGTH) throw new RangeError('referenceId is too long');
    const payments = this.dataSource.getRepository(Payment);
    const existing = await payments.findOneBy({ purpose: request.purpose, referenceId: request.referenceId });
    if (existing) return chargeResultOf(existing);
    const customerId = await this.customerOf(request.userId);
    const outcome = await this.provider.charge({
      userId: request.userId,
      amountMinor: request.amountMinor,
      currency: request.currency,
      paymentMethodId: request.paymentMethodId,
      customerId,
      description: request.description,
      idempotencyKey: `haven-${request.purpose}-${request.referenceId}`,
      metadata: { haven_purpose: request.purpose, haven_reference_id: request.referenceId },
    });
    const row = payments.create({
      id: randomUUID(),
      userId: request.userId,
      amountMinor: request.amountMinor,
      currency: request.currency,
      status: outcome.status,
      purpose: request.purpose,
      referenceId: request.referenceId,
      description: request.description.slice(0, PAYMENT_DESCRIPTION_MAX_LENGTH),
      provider: this.provider.name,
      providerPaymentId: outcome.providerPaymentId,
      paymentMethodId: request.paymentMethodId,
      clientSecret: outcome.clientSecret,
      failureMessage: outcome.failureMessage,
    });
    try {
      await payments.insert(row);
    } catch (error) {
      // A concurrent call for the same reference recorded first: its result is the answer.
      if (violatedConstraint(error) !== 'ux_payments_purpose_reference') throw error;
      const first = await payments.findOneByOrFail({ purpose: request.purpose, referenceId: request.referenceId });
      return chargeResultOf(first);
    }
    return chargeResultOf(row);
  }

  /** Refunds the succeeded payment of (purpose, referenceId) in full, once; anything else is not refundable. */
  async refund(purpose: ChargeRequest['purpose'], referenceId: string): Promise<RefundResult> {
    const payments = this.dataSource.getRepository(Payment);
    const payment = await payments.findOneBy({ purpose, referenceId });
    if (!payment) throw new AppException('PAYMENTS.PAYMENT_NOT_FOUND', 'Payment not found.');
    if (payment.status === 'refunded') return { paymentId: payment.id, status: 'refunded' };
    if (payment.status !== 'succeeded') return { paymentId: payment.id, status: 'not_refundable' };
    const refundId = await this.provider.refund(payment.providerPaymentId, `haven-refund-${payment.id}`);
    await payments.update({ id: payment.id, status: 'succeeded' }, { status: 'refunded', providerRefundId: refundId });
    return { paymentId: payment.id, status: 'refunded' };
  }

  /**
   * Tells a feature when one of its payments that needed the customer's action (or was
   * pending at the provider) succeeds or fails. One listener per purpose, called in the
   * transaction that records the change.
   */
  onSettled(purpose: ChargeRequest['purpose'], listener: SettlementListener): void {
    this.listeners.set(purpose, listener);
  }

  /** Runs the purpose's listener for a settled one-off payment (subscription payments have none). */
  async settled(payment: Payment, status: PaymentSettlement['status'], manager: EntityManager): Promise<void> {
    if (payment.purpose === 'subscription') return;
    const listener = this.listeners.get(payment.purpose);
    if (listener) await listener({ paymentId: payment.id, purpose: payment.purpose, referenceId: payment.referenceId, status }, manager);
  }

  /** The caller's payments, newest first by default. */
  async history(principal: Principal, query: PaginationQueryDto): Promise<Paginated<PaymentDto>> {
    const builder = this.dataSource.getRepository(Payment).createQueryBuilder('p').where('p.userId = :userId', { userId: principal.userId });
    const page = await paginate(builder, query, { ...PAYMENTS_ORDERING, searchable: ['p.description'], dateColumn: 'p.createdAt', tieBreaker: 'p.id' });
    return page.map(toPaymentDto);
  }

  /** Every payment, for staff, with filters. */
  async list(query: AdminPaymentListQueryDto): Promise<Paginated<PaymentDto>> {
    const builder = this.dataSource.getRepository(Payment).createQueryBuilder('p');
    if (query.status) builder.andWhere('p.status = :status', { status: query.status });
    if (query.purpose) builder.andWhere('p.purpose = :purpose', { purpose: query.purpose });
    if (query.user_id) builder.andWhere('p.userId = :userId', { userId: query.user_id });
    if (query.provider) builder.andWhere('p.provider = :provider', { provider: query.provider });
    const page = await paginate(builder, query, { ...PAYMENTS_ORDERING, searchable: ['p.description', 'p.providerPaymentId'], dateColumn: 'p.createdAt', tieBreaker: 'p.id' });
    return page.map(toPaymentDto);
  }

  /** The provider customer this user already has (from an earlier subscription), so charges reuse it. */
  async customerOf(userId: string, manager?: EntityManager): Promise<string | null> {
    const row = await (manager ?? this.dataSource.manager)
      .getRepository(Subscription)
      .createQueryBuilder('s')
      .select('s.providerCustomerId', 'customer')
      .where('s.userId = :userId AND s.provider = :provider AND s.providerCustomerId IS NOT NULL', { userId, provider: this.provider.name })
      .orderBy('s.createdAt', 'DESC')
      .limit(1)
      .getRawOne<{ customer: string }>();
    return row?.customer ?? null;
  }

  /**
   * Revenue over [from, to) by plan and currency, for the admins' dashboard: payments that
   * succeeded and were created in the range, summed in minor units. A refunded payment is
   * no longer `succeeded`, so it drops out (revenue is net of refunds); declined, failed and
   * pending payments never count. Subscription payments are grouped by their subscription's
   * plan; other purposes (event tickets) by purpose with no plan. One statement: a range read
   * of ix_payments_status_created, each subscription payment joined to its subscription and plan.
   */
  async revenueByPlan(from: Date, to: Date): Promise<RevenueLine[]> {
    const rows = await this.dataSource.query<Array<{ plan: string | null; purpose: PaymentPurpose; currency: string; amount_minor: string; payments: number }>>(
      `SELECT pl.name AS plan, p.purpose, p.currency, sum(p.amount_minor)::bigint::text AS amount_minor, count(*)::int AS payments
         FROM payments p
         LEFT JOIN subscriptions s ON p.purpose = 'subscription' AND s.id = (CASE WHEN p.purpose = 'subscription' THEN p.reference_id::uuid END)
         LEFT JOIN plans pl ON pl.id = s.plan_id
        WHERE p.status = 'succeeded' AND p.created_at >= $1 AND p.created_at < $2
        GROUP BY pl.name, p.purpose, p.currency
        ORDER BY pl.name NULLS LAST, p.purpose, p.currency`,
      [from, to],
    );
    return rows.map((row) => ({ plan: row.plan, purpose: row.purpose, currency: row.currency.trim(), amountMinor: Number(row.amount_minor), payments: row.payments }));
  }
}
