import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** Sharing grants end with either side's account. */
@Injectable()
export class CareTeamPersonalData extends FeaturePersonalData {
  readonly feature = 'care-team';
  readonly tables = new Map([
    ['care_grants', 'deleted (the account as client or as therapist)'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const grants = await rowsNaming(manager, 'care_grants', ['client_id', 'therapist_id'], userId);
    return grants.length ? { grants } : null;
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM care_grants WHERE client_id = $1 OR therapist_id = $1', [userId]);
  }
}
