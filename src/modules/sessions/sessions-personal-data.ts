import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { SessionsService } from './sessions.service';

/**
 * A session is both people's record (and a payment's reference), so the row stays, linked to
 * the anonymous account; what was written in it goes, and upcoming sessions are cancelled.
 */
@Injectable()
export class SessionsPersonalData extends FeaturePersonalData {
  readonly feature = 'sessions';
  readonly tables = new Map([
    ['care_sessions', 'kept for the other side and the payment, linked to the anonymous account; description, notes and cancellation reason removed; upcoming sessions cancelled (the other side is notified)'],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly sessions: SessionsService,
  ) {
    super(registry);
  }

  exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    return this.sessions.exportFor(userId, manager);
  }

  erase(userId: string, manager: EntityManager): Promise<void> {
    return this.sessions.eraseParty(userId, manager);
  }
}
