import { Injectable } from '@nestjs/common';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { ArchiveSection, ERASED_NAME, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';

/** `\m…\M` word bounds around a name, with the regular-expression characters in it escaped. */
const wordPattern = (name: string): string => `\\m${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\M`;

/**
 * The user's own notifications go. Other people's notifications name whoever caused them
 * ("Sam sent you a message"): the name becomes "A deleted account" (the whole name, then the
 * first name alone as a word), so their list still reads. Runs before the account row is
 * anonymised, while the name is still there.
 */
@Injectable()
export class NotificationsPersonalData extends FeaturePersonalData {
  readonly feature = 'notifications';
  readonly tables = new Map([['notifications', `the account's own deleted; in others', its name replaced by "${ERASED_NAME}"`]]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly directory: UserDirectoryService,
  ) {
    super(registry);
  }

  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const notifications = await rowsNaming(manager, 'notifications', ['user_id'], userId);
    return notifications.length ? { notifications } : null;
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM notifications WHERE user_id = $1', [userId]);
    const card = await this.directory.find(userId, manager);
    const names = [`${card?.firstName ?? ''} ${card?.lastName ?? ''}`.trim(), card?.firstName.trim() ?? ''].filter((name) => name.length >= 2);
    for (const name of new Set(names)) {
      const pattern = wordPattern(name);
      await manager.query(
        "UPDATE notifications SET title = regexp_replace(title, $1, $2, 'g'), message = regexp_replace(message, $1, $2, 'g') WHERE title ~ $1 OR message ~ $1",
        [pattern, ERASED_NAME],
      );
    }
  }
}
