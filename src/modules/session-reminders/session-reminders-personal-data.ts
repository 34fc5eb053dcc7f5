import { Injectable } from '@nestjs/common';
import { NoPersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';

/**
 * Reminders hold ids and times only, and are part of the sessions' record (exported there);
 * sessions' erasure cancels the account's upcoming sessions, and SessionHooks cancels their reminders.
 */
@Injectable()
export class SessionRemindersPersonalData extends NoPersonalData {
  readonly feature = 'session-reminders';
  readonly tables = new Map([['session_reminders', 'no personal data (ids and times); pending reminders of the sessions erasure cancels are cancelled with them']]);

  constructor(registry: PersonalDataRegistry) {
    super(registry);
  }
}
