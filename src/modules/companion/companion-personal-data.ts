import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { CompanionConversationsService } from './companion-conversations.service';

/** Companion transcripts are the user's own: erasure deletes them. */
@Injectable()
export class CompanionPersonalData extends FeaturePersonalData {
  readonly feature = 'companion';
  readonly tables = new Map([
    ['companion_conversations', 'deleted'],
    ['companion_messages', 'deleted with their conversation'],
    ['companion_usage', 'deleted'],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly conversations: CompanionConversationsService,
  ) {
    super(registry);
  }

  exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    return this.conversations.exportFor(userId, manager);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM companion_conversations WHERE user_id = $1', [userId]);
    await manager.query('DELETE FROM companion_usage WHERE user_id = $1', [userId]);
  }
}
