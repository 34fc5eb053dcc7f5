import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { ScreenersService } from './screeners.service';

/** Screener answers and the safety signals they raised are the user's own: erasure deletes them. */
@Injectable()
export class ScreenersPersonalData extends FeaturePersonalData {
  readonly feature = 'screeners';
  readonly tables = new Map([
    ['screener_responses', 'deleted'],
    ['safety_signals', 'deleted'],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly screeners: ScreenersService,
  ) {
    super(registry);
  }

  exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    return this.screeners.exportFor(userId, manager);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM safety_signals WHERE user_id = $1', [userId]);
    await manager.query('DELETE FROM screener_responses WHERE user_id = $1', [userId]);
  }
}
