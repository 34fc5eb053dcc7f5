import { Injectable } from '@nestjs/common';
import { ArchiveSection, ERASED_NAME, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { AlarmsService } from './alarms.service';

/** The user's alarms and their deliveries go (a pending delivery job then finds nothing and ends); on other people's alarms the account is unlinked where it resolved one or was the therapist notified. */
@Injectable()
export class AlarmsPersonalData extends FeaturePersonalData {
  readonly feature = 'alarms';
  readonly tables = new Map([
    ['alarms', "deleted; on others' alarms the account as resolver is unlinked"],
    ['alarm_deliveries', "deleted with their alarm; on others' alarms a delivery to the account as their Haven therapist keeps its status with the name, address and link removed"],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly alarmsService: AlarmsService,
  ) {
    super(registry);
  }

  exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    return this.alarmsService.exportFor(userId, manager);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM alarms WHERE user_id = $1', [userId]);
    await manager.query('UPDATE alarms SET resolved_by_id = NULL WHERE resolved_by_id = $1', [userId]);
    await manager.query('UPDATE alarm_deliveries SET therapist_user_id = NULL, recipient_name = $2, address_encrypted = NULL WHERE therapist_user_id = $1', [userId, ERASED_NAME]);
  }
}
