import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** Export requests and their archives (the archive holds everything): erasure deletes them. */
@Injectable()
export class PrivacyPersonalData extends FeaturePersonalData {
  readonly feature = 'privacy';
  readonly tables = new Map([['data_exports', 'deleted, with their archives']]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  /** The requests (when, their state), never an earlier archive inside the new one. */
  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const requests = await rowsNaming(manager, 'data_exports', ['user_id'], userId, ['archive_encrypted', 'link_token_hash']);
    return requests.length ? { exports: requests } : null;
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM data_exports WHERE user_id = $1', [userId]);
  }
}
