import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { TicketsPrivacyService } from './tickets-privacy.service';

/** Tickets the user opened are theirs; what they wrote as staff on others' tickets loses its text and author. */
@Injectable()
export class TicketsPersonalData extends FeaturePersonalData {
  readonly feature = 'tickets';
  readonly tables = new Map([
    ['tickets', "the account's own deleted; on others' tickets it is unassigned"],
    ['ticket_replies', "deleted with their ticket; replies the account wrote (as staff) on others' tickets keep their place without text or author"],
    ['ticket_notes', "deleted with their ticket; notes the account wrote on others' tickets keep their place without text or author"],
    ['ticket_reply_attachments', 'deleted with their reply or their file'],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly privacy: TicketsPrivacyService,
  ) {
    super(registry);
  }

  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const tickets = await this.privacy.exportFor(userId, manager);
    return tickets.length ? { tickets } : null;
  }

  async erase(userId: string, manager: EntityManager): Promise<void> {
    await this.privacy.eraseFor(userId, manager);
  }
}
