import { Role } from 'src/common/access/permissions';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { RateTier } from 'src/common/access/principal';
import { type PersonalityData, type SubscriptionStatus, type UserLanguage, UserStatus } from './users.types';

// Kept importable from here for the module's own code, tests and scripts; other features import users.types.
export { UserStatus } from './users.types';
export type { PersonalityData } from './users.types';

/**
 * An account. Emails and usernames are unique ignoring case: the unique indexes are on
 * lower(email) / lower(username), created by the migration (TypeORM cannot describe
 * expression indexes, hence `synchronize: false`).
 */
@Entity('users')
@Index('uq_users_email_lower', { synchronize: false })
@Index('uq_users_username_lower', { synchronize: false })
// Role and status lists, and the dashboard's account counts as an index-only scan (verification included).
@Index('ix_users_role_status_verified', ['role', 'status', 'isVerified'])
@Index('ix_users_created_at', ['createdAt'])
@Check('ck_users_role', `"role" IN ('client', 'therapist', 'friend', 'manager', 'admin')`)
@Check('ck_users_status', `"status" IN ('active', 'suspended', 'deleted')`)
@Check('ck_users_failed_login_count', `"failed_login_count" >= 0`)
@Check('ck_users_subscription_status', `"subscription_status" IN ('none', 'incomplete', 'active', 'past_due', 'cancelled')`)
@Check('ck_users_rate_tier', `"rate_tier" IN ('standard', 'premium')`)
@Check('ck_users_language', `"language" IN ('en', 'ru')`)
@Check('ck_users_country', `"country" ~ '^[A-Z]{2}$'`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  username!: string | null;

  /** argon2id; null once the account is deleted (nobody can sign in). */
  @Column({ type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'varchar', length: 100, default: '' })
  firstName!: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  lastName!: string;

  @Column({ type: 'varchar', length: 16, default: Role.Client })
  role!: Role;

  /** Therapists and friends start unverified until a manager or admin verifies them; others are verified. */
  @Column({ type: 'boolean', default: false })
  isVerified!: boolean;

  @Column({ type: 'varchar', length: 16, default: UserStatus.Active })
  status!: UserStatus;

  @Column({ type: 'jsonb', nullable: true })
  personalityData!: PersonalityData | null;

  @Column({ type: 'boolean', default: false })
  twoFactorEnabled!: boolean;

  /** The TOTP secret, encrypted at rest (FieldEncryptionService); set at setup, before 2FA is enabled. */
  @Column({ type: 'text', nullable: true })
  totpSecret!: string | null;

  /** The last TOTP time step accepted, so a code is never accepted twice. */
  @Column({ type: 'integer', nullable: true })
  totpLastStep!: number | null;

  @Column({ type: 'integer', default: 0 })
  failedLoginCount!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  /** IANA time zone name; which calendar day the user's entries fall on. */
  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timeZone!: string;

  /** ISO 3166-1 alpha-2 country the user lives in (null: not told); picks the crisis helplines they are shown. */
  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;

  /** The language Haven writes to them in (the companion, crisis texts). */
  @Column({ type: 'varchar', length: 2, default: 'en' })
  language!: UserLanguage;

  /** A projection of the user's current subscription, written by the payments module in the same transaction. */
  @Column({ type: 'varchar', length: 16, default: 'none' })
  subscriptionStatus!: SubscriptionStatus;

  /** The rate-limit tier the subscription's plan grants; read with the session on every request. */
  @Column({ type: 'varchar', length: 16, default: 'standard' })
  rateTier!: RateTier;
}
