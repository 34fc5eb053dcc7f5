import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { GoalsService } from './goals.service';

/** Goals and their progress entries are the user's own: erasure deletes them. */
@Injectable()
export class GoalsPersonalData extends FeaturePersonalData {
  readonly feature = 'goals';
  readonly tables = new Map([
    ['goals', 'deleted'],
    ['goal_progress', 'deleted with their goal'],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly goals: GoalsService,
  ) {
    super(registry);
  }

  exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    return this.goals.exportFor(userId, manager);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM goals WHERE user_id = $1', [userId]);
  }
}
