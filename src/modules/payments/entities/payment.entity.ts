import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import type { PaymentProviderName, PaymentPurpose, PaymentStatus } from '../payments.types';

export const PAYMENT_REFERENCE_MAX_LENGTH = 100;
export const PAYMENT_DESCRIPTION_MAX_LENGTH = 200;

/**
 * One payment: what, how much and how it went, with the provider's ids. Never card data
 * (only the payment method id the client sent). A one-off charge is idempotent per
 * (purpose, reference): a partial unique index; subscription payments (one per invoice)
 * are unique by the provider's payment id instead.
 */
@Entity('payments')
@Index('ux_payments_purpose_reference', ['purpose', 'referenceId'], { unique: true, where: `"purpose" <> 'subscription'` })
@Index('ux_payments_provider_payment', ['provider', 'providerPaymentId'], { unique: true })
@Index('ix_payments_user_created', ['userId', 'createdAt'])
@Index('ix_payments_status_created', ['status', 'createdAt'])
@Check('ck_payments_amount_minor', `"amount_minor" >= 0`)
@Check('ck_payments_currency', `"currency" ~ '^[A-Z]{3}$'`)
@Check('ck_payments_status', `"status" IN ('succeeded', 'declined', 'requires_action', 'failed', 'refunded')`)
@Check('ck_payments_purpose', `"purpose" IN ('subscription', 'event_ticket')`)
@Check('ck_payments_provider', `"provider" IN ('sandbox', 'stripe')`)
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'integer' })
  amountMinor!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: PaymentStatus;

  @Column({ type: 'varchar', length: 16 })
  purpose!: PaymentPurpose;

  /** The subscription's id, or the other feature's object (a ticket) the payment is for. */
  @Column({ type: 'varchar', length: PAYMENT_REFERENCE_MAX_LENGTH })
  referenceId!: string;

  @Column({ type: 'varchar', length: PAYMENT_DESCRIPTION_MAX_LENGTH })
  description!: string;

  @Column({ type: 'varchar', length: 16 })
  provider!: PaymentProviderName;

  /** The provider's payment (a PaymentIntent or an invoice at Stripe). */
  @Column({ type: 'varchar', length: 255 })
  providerPaymentId!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  providerRefundId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  paymentMethodId!: string | null;

  /** For a payment that needs the customer's action: what the app completes it with. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  clientSecret!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  failureMessage!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
