import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** A provider's public profile and availability go with the account. */
@Injectable()
export class ProvidersErasure extends FeatureErasure {
  readonly feature = 'providers';
  readonly tables = new Map([
    ['provider_profiles', 'deleted'],
    ['provider_availability_rules', 'deleted with the profile'],
    ['provider_availability_exceptions', 'deleted with the profile'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM provider_profiles WHERE user_id = $1', [userId]);
  }
}
