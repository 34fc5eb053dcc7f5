import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';

/** Reminders hold ids and times only; the account's pending ones end with its sessions (SessionHooks). */
@Injectable()
export class SessionRemindersPersonalData extends FeaturePersonalData {
  readonly feature = 'session-reminders';
  readonly tables = new Map([['session_reminders', 'no personal data (ids and times); pending reminders of the sessions erasure cancels are cancelled with them']]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }

  /** Nothing of the account's own here: SessionsPersonalData's cancellations reach these rows through SessionHooks. */
  /** The reminders are part of the sessions' record, exported there. */
  exportFor(): Promise<ArchiveSection | null> {
    return Promise.resolve(null);
  }

  erase(): Promise<void> {
    return Promise.resolve();
  }
}
