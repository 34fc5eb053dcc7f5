import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { SafetyPlansService } from './safety-plans.service';

/** The user's safety plan goes; versions they wrote (as a therapist) in another person's plan are that person's plan and stay, linked to the anonymous account. */
@Injectable()
export class SafetyPlansPersonalData extends FeaturePersonalData {
  readonly feature = 'safety-plans';
  readonly tables = new Map([
    ['safety_plan_versions', "the account's own plan deleted; versions it wrote in others' plans kept (their plan), the author link pointing at the anonymous account"],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly plans: SafetyPlansService,
  ) {
    super(registry);
  }

  exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    return this.plans.exportFor(userId, manager);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM safety_plan_versions WHERE user_id = $1', [userId]);
  }
}
