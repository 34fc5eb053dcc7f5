import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isProvider, isVerifiedProvider } from 'src/common/access/permissions';
import { Principal, requireVerifiedProvider } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { UserCard, UserStatus } from 'src/modules/users/users.types';
import { EntityManager, Repository } from 'typeorm';
import { ProviderProfile } from './entities/provider-profile.entity';

/** A listed provider: an active, verified therapist or friend with a profile. */
export interface ListedProvider {
  profile: ProviderProfile;
  user: UserCard;
}

/** Finds profiles, and decides the one rule of who is listed (and bookable). */
@Injectable()
export class ProviderDirectory {
  constructor(
    @InjectRepository(ProviderProfile) private readonly profiles: Repository<ProviderProfile>,
    private readonly users: UserDirectoryService,
  ) {}

  profileOf(userId: string, manager?: EntityManager): Promise<ProviderProfile | null> {
    return (manager ? manager.getRepository(ProviderProfile) : this.profiles).findOneBy({ userId });
  }

  /** The provider with their profile, when listed; null for unknown, unverified, inactive or profile-less accounts. */
  async listed(userId: string): Promise<ListedProvider | null> {
    const [user, profile] = await Promise.all([this.users.find(userId), this.profileOf(userId)]);
    if (!user || !profile || !isListed(user)) return null;
    return { profile, user };
  }

  async listedProfile(userId: string): Promise<ProviderProfile | null> {
    return (await this.listed(userId))?.profile ?? null;
  }
}

export const isListed = (user: UserCard): boolean => user.status === UserStatus.Active && isVerifiedProvider(user);

/** For the provider's own routes: therapists and friends only (403), and only once verified (AUTH.PROVIDER_NOT_VERIFIED). */
export function requireProvider(principal: Principal): void {
  if (!isProvider(principal.role)) throw new AppException('COMMON.FORBIDDEN', 'Only therapists and friends have a provider profile.');
  requireVerifiedProvider(principal);
}
