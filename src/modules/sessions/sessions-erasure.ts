import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { SessionsService } from './sessions.service';

/**
 * A session is both people's record (and a payment's reference), so the row stays, linked to
 * the anonymous account; what was written in it goes, and upcoming sessions are cancelled.
 */
@Injectable()
export class SessionsErasure extends FeatureErasure {
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

  erase(userId: string, manager: EntityManager): Promise<void> {
    return this.sessions.eraseParty(userId, manager);
  }
}
