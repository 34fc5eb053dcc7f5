import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** Sharing grants end with either side's account. */
@Injectable()
export class CareTeamErasure extends FeatureErasure {
  readonly feature = 'care-team';
  readonly tables = new Map([
    ['care_grants', 'deleted (the account as client or as therapist)'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM care_grants WHERE client_id = $1 OR therapist_id = $1', [userId]);
  }
}
