import { Role } from 'src/common/access/permissions';
import type { UserCard } from 'src/modules/users/users.types';
import { UserStatus } from 'src/modules/users/users.types';

/** A Haven account that may be someone's therapist contact: an active, verified therapist. */
export const isUsableTherapist = (card: UserCard): boolean =>
  card.role === Role.Therapist && card.isVerified && card.status === UserStatus.Active;
