import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PlanEntitlements } from '../payments.types';

export const PLAN_NAME_MAX_LENGTH = 40;
export const PLAN_DISPLAY_NAME_MAX_LENGTH = 100;
export const PLAN_DESCRIPTION_MAX_LENGTH = 1000;

/** A subscription plan: its monthly price, the features it advertises and the entitlements it grants. */
@Entity('plans')
@Index('ux_plans_name', ['name'], { unique: true })
@Check('ck_plans_price_monthly_minor', `"price_monthly_minor" >= 0`)
@Check('ck_plans_currency', `"currency" ~ '^[A-Z]{3}$'`)
export class Plan {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** A slug (`premium`): SafeTalk subscribes by it. */
  @Column({ type: 'varchar', length: PLAN_NAME_MAX_LENGTH })
  name!: string;

  @Column({ type: 'varchar', length: PLAN_DISPLAY_NAME_MAX_LENGTH })
  displayName!: string;

  @Column({ type: 'varchar', length: PLAN_DESCRIPTION_MAX_LENGTH, default: '' })
  description!: string;

  @Column({ type: 'integer' })
  priceMonthlyMinor!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  features!: string[];

  @Column({ type: 'jsonb' })
  entitlements!: PlanEntitlements;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Stripe's price for this plan's current amount, created on first use; cleared when the price changes. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  providerPriceId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
