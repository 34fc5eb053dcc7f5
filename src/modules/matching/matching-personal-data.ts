import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** Matches and preferences are about the account: erasure deletes them (on either side). */
@Injectable()
export class MatchingPersonalData extends FeaturePersonalData {
  readonly feature = 'matching';
  readonly tables = new Map([
    ['matches', 'deleted (the account as client or as provider); matches the account created for others keep no link to it'],
    ['matching_preferences', 'deleted'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const [preferences] = await rowsNaming(manager, 'matching_preferences', ['user_id'], userId);
    const matches = await rowsNaming(manager, 'matches', ['client_id', 'provider_id'], userId);
    return preferences || matches.length ? { preferences: preferences ?? null, matches } : null;
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM matches WHERE client_id = $1 OR provider_id = $1', [userId]);
    await manager.query('UPDATE matches SET created_by_id = NULL WHERE created_by_id = $1', [userId]);
    await manager.query('DELETE FROM matching_preferences WHERE user_id = $1', [userId]);
  }
}
