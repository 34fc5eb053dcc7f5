import { Injectable } from '@nestjs/common';
import { FeatureErasure, PersonalDataRegistry } from 'src/modules/users/personal-data';

/** Reminders hold ids and times only; the account's pending ones end with its sessions (SessionHooks). */
@Injectable()
export class SessionRemindersErasure extends FeatureErasure {
  readonly feature = 'session-reminders';
  readonly tables = new Map([['session_reminders', 'no personal data (ids and times); pending reminders of the sessions erasure cancels are cancelled with them']]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  /** Nothing of the account's own here: SessionsErasure's cancellations reach these rows through SessionHooks. */
  erase(): Promise<void> {
    return Promise.resolve();
  }
}
