import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** Goals and their progress entries are the user's own: erasure deletes them. */
@Injectable()
export class GoalsErasure extends FeatureErasure {
  readonly feature = 'goals';
  readonly tables = new Map([
    ['goals', 'deleted'],
    ['goal_progress', 'deleted with their goal'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM goals WHERE user_id = $1', [userId]);
  }
}
