import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** Matches and preferences are about the account: erasure deletes them (on either side). */
@Injectable()
export class MatchingErasure extends FeatureErasure {
  readonly feature = 'matching';
  readonly tables = new Map([
    ['matches', 'deleted (the account as client or as provider); matches the account created for others keep no link to it'],
    ['matching_preferences', 'deleted'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM matches WHERE client_id = $1 OR provider_id = $1', [userId]);
    await manager.query('UPDATE matches SET created_by_id = NULL WHERE created_by_id = $1', [userId]);
    await manager.query('DELETE FROM matching_preferences WHERE user_id = $1', [userId]);
  }
}
