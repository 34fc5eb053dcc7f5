import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** The user's safety plan goes; versions they wrote (as a therapist) in another person's plan are that person's plan and stay, linked to the anonymous account. */
@Injectable()
export class SafetyPlansErasure extends FeatureErasure {
  readonly feature = 'safety-plans';
  readonly tables = new Map([
    ['safety_plan_versions', "the account's own plan deleted; versions it wrote in others' plans kept (their plan), the author link pointing at the anonymous account"],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM safety_plan_versions WHERE user_id = $1', [userId]);
  }
}
