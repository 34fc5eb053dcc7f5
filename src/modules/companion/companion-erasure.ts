import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** Companion transcripts are the user's own: erasure deletes them. */
@Injectable()
export class CompanionErasure extends FeatureErasure {
  readonly feature = 'companion';
  readonly tables = new Map([
    ['companion_conversations', 'deleted'],
    ['companion_messages', 'deleted with their conversation'],
    ['companion_usage', 'deleted'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM companion_conversations WHERE user_id = $1', [userId]);
    await manager.query('DELETE FROM companion_usage WHERE user_id = $1', [userId]);
  }
}
