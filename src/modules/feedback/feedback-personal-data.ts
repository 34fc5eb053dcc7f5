import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { FeedbackService } from './feedback.service';

/** Feedback stays as a rating (so a provider's average holds); the comment, the personal part, goes. */
@Injectable()
export class FeedbackPersonalData extends FeaturePersonalData {
  readonly feature = 'feedback';
  readonly tables = new Map([
    ['session_feedback', "kept as a rating for the provider's average; the comment removed (the account as client or as provider)"],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly feedbackService: FeedbackService,
  ) {
    super(registry);
  }

  exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    return this.feedbackService.exportFor(userId, manager);
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE session_feedback SET comment_encrypted = NULL WHERE client_id = $1 OR provider_id = $1', [userId]);
  }
}
