import { Injectable } from '@nestjs/common';
import { AfterErasure, ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { EventTicketsService } from './event-tickets.service';

/** Tickets are payment records: they stay, cancelled when the event is still to come, without payment details. */
@Injectable()
export class GroupEventsPersonalData extends FeaturePersonalData {
  readonly feature = 'group-events';
  readonly tables = new Map([
    ['group_events', 'kept: a hosted event is its attendees\' record too; the host shows as a deleted account'],
    ['event_tickets', 'kept for the payment record, without payment method or client secret; active tickets for events still to come are cancelled (seat to the next in line, refund)'],
    ['event_reminders', 'no personal data (ids and times)'],
  ]);

  constructor(
    registry: PersonalDataRegistry,
    private readonly tickets: EventTicketsService,
  ) {
    super(registry);
  }

  async exportFor(userId: string, manager: EntityManager): Promise<ArchiveSection | null> {
    const tickets = await rowsNaming(manager, 'event_tickets', ['user_id'], userId, ['client_secret']);
    const hosted = await rowsNaming(manager, 'group_events', ['host_id'], userId);
    return tickets.length || hosted.length ? { tickets, hosted_events: hosted } : null;
  }

  /** The charges and refunds of the cancelled tickets run after the commit, as `cancel` does them. */
  async erase(userId: string, manager: EntityManager): Promise<AfterErasure> {
    const followUps = await this.tickets.eraseHolder(userId, manager);
    return () => this.tickets.followUp(followUps);
  }
}
