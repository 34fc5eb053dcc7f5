import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** A provider's public profile and availability go with the account. */
@Injectable()
export class ProvidersPersonalData extends FeaturePersonalData {
  readonly feature = 'providers';
  readonly tables = new Map([
    ['provider_profiles', 'deleted'],
    ['provider_availability_rules', 'deleted with the profile'],
    ['provider_availability_exceptions', 'deleted with the profile'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const [profile] = await rowsNaming(manager, 'provider_profiles', ['user_id'], userId);
    if (!profile) return null;
    const availabilityRules = await rowsNaming(manager, 'provider_availability_rules', ['provider_id'], userId);
    const availabilityExceptions = await rowsNaming(manager, 'provider_availability_exceptions', ['provider_id'], userId);
    return { profile, availability_rules: availabilityRules, availability_exceptions: availabilityExceptions };
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM provider_profiles WHERE user_id = $1', [userId]);
  }
}
