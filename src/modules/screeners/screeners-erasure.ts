import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** Screener answers and the safety signals they raised are the user's own: erasure deletes them. */
@Injectable()
export class ScreenersErasure extends FeatureErasure {
  readonly feature = 'screeners';
  readonly tables = new Map([
    ['screener_responses', 'deleted'],
    ['safety_signals', 'deleted'],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM safety_signals WHERE user_id = $1', [userId]);
    await manager.query('DELETE FROM screener_responses WHERE user_id = $1', [userId]);
  }
}
