import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** The mood log is the user's own: erasure deletes it. */
@Injectable()
export class MoodErasure extends FeatureErasure {
  readonly feature = 'mood';
  readonly tables = new Map([
    ['mood_entries', 'deleted'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM mood_entries WHERE user_id = $1', [userId]);
  }
}
