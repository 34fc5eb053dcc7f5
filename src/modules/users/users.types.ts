import type { Role } from 'src/common/access/permissions';

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
}
