import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import type { PaymentProviderName, SubscriptionState } from '../payments.types';
import { Plan } from './plan.entity';

/**
 * A user's subscription to a plan. At most one per user is current (not cancelled): a
 * partial unique index holds it, whatever races. Cancelled rows stay as history.
 */
@Entity('subscriptions')
@Index('ux_subscriptions_user_current', ['userId'], { unique: true, where: `"status" <> 'cancelled'` })
@Index('ux_subscriptions_provider_subscription', ['provider', 'providerSubscriptionId'], { unique: true })
@Index('ix_subscriptions_status_created', ['status', 'createdAt'])
@Check('ck_subscriptions_status', `"status" IN ('incomplete', 'active', 'past_due', 'cancelled')`)
@Check('ck_subscriptions_provider', `"provider" IN ('sandbox', 'stripe')`)
export class Subscription {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'uuid' })
  planId!: string;

  @ManyToOne(() => Plan, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plan_id' })
  plan?: Relation<Plan>;

  @Column({ type: 'varchar', length: 16 })
  status!: SubscriptionState;

  @Column({ type: 'timestamptz', nullable: true })
  currentPeriodEnd!: Date | null;

  @Column({ type: 'boolean', default: false })
  cancelAtPeriodEnd!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ type: 'varchar', length: 16 })
  provider!: PaymentProviderName;

  @Column({ type: 'varchar', length: 255, nullable: true })
  providerCustomerId!: string | null;

  @Column({ type: 'varchar', length: 255 })
  providerSubscriptionId!: string;

  /** The payment method id as the client sent it (never card data). */
  @Column({ type: 'varchar', length: 255 })
  paymentMethodId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
