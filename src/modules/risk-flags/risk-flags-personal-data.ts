import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** Flags about the user go with their detections and notes. Notes the account wrote (as staff) on another person's flag are that person's clinical record: they stay, authored by the anonymous account. */
@Injectable()
export class RiskFlagsPersonalData extends FeaturePersonalData {
  readonly feature = 'risk-flags';
  readonly tables = new Map([
    ['risk_flags', "deleted; on others' flags the account as acknowledger or resolver is unlinked"],
    ['risk_detections', 'deleted with their flag'],
    ['risk_flag_notes', "deleted with their flag; notes the account wrote on others' flags kept (that person's record), authored by the anonymous account"],
  ]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  /** Flags raised about the user (what was detected and what staff did); staff's own notes stay with staff. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const flags = await rowsNaming(manager, 'risk_flags', ['user_id'], userId);
    return flags.length ? { flags } : null;
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM risk_flags WHERE user_id = $1', [userId]);
    await manager.query('UPDATE risk_flags SET acknowledged_by_id = NULL WHERE acknowledged_by_id = $1', [userId]);
    await manager.query('UPDATE risk_flags SET resolved_by_id = NULL WHERE resolved_by_id = $1', [userId]);
  }
}
