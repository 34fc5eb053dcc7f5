import type { Role } from 'src/common/access/permissions';
import type { RateTier } from 'src/common/access/principal';

/**
 * The users module's public vocabulary: values and shapes other features may import (the
 * entity file is the module's own). Role lives with the access rules (src/common/access).
 */

export enum UserStatus {
  Active = 'active',
  Suspended = 'suspended',
  /** Erased on the user's request: personal data gone, the row kept only so references stay valid. */
  Deleted = 'deleted',
}

/** A user's subscription as the account shows it (`none`: never subscribed). The payments module keeps it current. */
export const SUBSCRIPTION_STATUSES = ['none', 'incomplete', 'active', 'past_due', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** The languages Haven writes to a user in (the companion, crisis texts); English by default. */
export const USER_LANGUAGES = ['en', 'ru'] as const;
export type UserLanguage = (typeof USER_LANGUAGES)[number];

/** Where a user is and what they read: which helplines, which language, which calendar day. */
export interface UserLocale {
  /** ISO 3166-1 alpha-2, upper case; null when the user has not said. */
  country: string | null;
  language: UserLanguage;
  timeZone: string;
}

/** What the payments module projects onto the account: the subscription's status and the rate tier its plan grants. */
export interface SubscriptionProjection {
  subscriptionStatus: SubscriptionStatus;
  rateTier: RateTier;
}

/** What a user tells about themselves for matching (HumanLink). */
export interface PersonalityData {
  interests?: string[];
  communication_style?: string;
}

/** What other features read about an account: who it is, what it may do, whether it can still act. */
export interface UserCard {
  id: string;
  firstName: string;
  lastName: string;
  role: Role;
  status: UserStatus;
  isVerified: boolean;
  rateTier: RateTier;
}

/** How many accounts have this role, status and verification (the operations dashboard). */
export interface AccountCount {
  role: Role;
  status: UserStatus;
  isVerified: boolean;
  count: number;
}

/** Sign-ups on one UTC calendar day (`YYYY-MM-DD`). */
export interface SignupDay {
  day: string;
  count: number;
}
