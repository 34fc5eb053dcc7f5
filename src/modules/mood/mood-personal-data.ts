import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { MoodService } from './mood.service';

/** The mood log is the user's own: erasure deletes it. */
@Injectable()
export class MoodPersonalData extends FeaturePersonalData {
  readonly feature = 'mood';
  readonly tables = new Map([
    ['mood_entries', 'deleted'],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly mood: MoodService,
  ) {
    super(registry);
  }

  exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    return this.mood.exportFor(userId, manager);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM mood_entries WHERE user_id = $1', [userId]);
  }
}
