import { Injectable } from '@nestjs/common';
import { ArchiveSection, FeaturePersonalData, PersonalDataRegistry, rowsNaming } from 'src/modules/users/personal-data';
import { EntityManager } from 'typeorm';
import { EventTicketsService, SeatFollowUps } from './event-tickets.service';

/** Tickets are payment records: they stay, cancelled when the event is still to come, without payment details. */
@Injectable()
export class GroupEventsPersonalData extends FeaturePersonalData {
  readonly feature = 'group-events';
  readonly tables = new Map([
    ['group_events', 'kept: a hosted event is its attendees\' record too; the host shows as a deleted account'],
    ['event_tickets', 'kept for the payment record, without payment method or client secret; active tickets for events still to come are cancelled (seat to the next in line, refund)'],
    ['event_reminders', 'no personal data (ids and times)'],
  ]);
  /** Charges and refunds the erasure's cancellations started, for after the commit. */
  private readonly pending = new Map<string, SeatFollowUps>();

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

  async erase(userId: string, manager: EntityManager): Promise<void> {
    this.pending.set(userId, await this.tickets.eraseHolder(userId, manager));
  }

  async afterCommit(userId: string): Promise<void> {
    const followUps = this.pending.get(userId);
    this.pending.delete(userId);
    if (followUps) await this.tickets.followUp(followUps);
  }
}
