import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isStaff } from 'src/common/access/permissions';
import { Principal } from 'src/common/access/principal';
import { toUserSummary } from 'src/modules/chat/conversations.service';
import { UserDirectoryService } from 'src/modules/users/user-directory.service';
import { EntityManager, In, Repository } from 'typeorm';
import { EventTicket } from './entities/event-ticket.entity';
import { GroupEvent } from './entities/group-event.entity';
import { AttendeeDto, EventDto, TicketDto } from './group-events.dto';
import { ACTIVE_TICKET, TicketStatus } from './group-events.types';
import { fromMinorUnits } from 'src/common/money/money';

/** Whether the caller runs this event: its host, or staff. */
export const managesEvent = (principal: Principal, event: Pick<GroupEvent, 'hostId'>): boolean =>
  event.hostId === principal.userId || isStaff(principal.role);

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toTicketDto(ticket: EventTicket, position: number | null): TicketDto {
  return {
    id: ticket.id,
    event_id: ticket.eventId,
    user_id: ticket.userId,
    status: ticket.status,
    waitlist_position: ticket.status === TicketStatus.Waitlisted ? position : null,
    price: fromMinorUnits(ticket.amountMinor, ticket.currency),
    currency: ticket.currency,
    payment_id: ticket.paymentId,
    client_secret: ticket.status === TicketStatus.PendingPayment ? ticket.clientSecret : null,
    hold_expires_at: ticket.status === TicketStatus.PendingPayment ? iso(ticket.holdExpiresAt) : null,
    confirmed_at: iso(ticket.confirmedAt),
    cancelled_at: iso(ticket.cancelledAt),
    created_at: ticket.createdAt.toISOString(),
  };
}

/** Turns events and tickets into their answers: hosts' names, the caller's ticket, waitlist positions. */
@Injectable()
export class EventViews {
  constructor(
    @InjectRepository(EventTicket) private readonly tickets: Repository<EventTicket>,
    private readonly directory: UserDirectoryService,
  ) {}

  /** Each waitlisted ticket's place in its event's line (1 is next), by ticket id. */
  async positions(tickets: EventTicket[], manager?: EntityManager): Promise<Map<string, number>> {
    const waiting = tickets.filter((t) => t.status === TicketStatus.Waitlisted);
    if (waiting.length === 0) return new Map();
    const repository = manager ? manager.getRepository(EventTicket) : this.tickets;
    const rows = await repository
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .addSelect(
        `(SELECT count(*) FROM event_tickets w WHERE w.event_id = t.event_id AND w.status = :waitlisted AND w.queue_seq <= t.queue_seq)`,
        'position',
      )
      .where('t.id IN (:...ids)', { ids: waiting.map((t) => t.id), waitlisted: TicketStatus.Waitlisted })
      .getRawMany<{ id: string; position: string | number }>();
    return new Map(rows.map((r) => [r.id, Number(r.position)]));
  }

  async ticket(ticket: EventTicket, manager?: EntityManager): Promise<TicketDto> {
    const positions = await this.positions([ticket], manager);
    return toTicketDto(ticket, positions.get(ticket.id) ?? null);
  }

  async events(principal: Principal, events: GroupEvent[]): Promise<EventDto[]> {
    if (events.length === 0) return [];
    const [hosts, mine] = await Promise.all([
      this.directory.findMany(events.map((e) => e.hostId)),
      this.tickets.find({ where: { userId: principal.userId, eventId: In(events.map((e) => e.id)), status: In([...ACTIVE_TICKET]) } }),
    ]);
    const hostById = new Map(hosts.map((h) => [h.id, h]));
    const ticketByEvent = new Map(mine.map((t) => [t.eventId, t]));
    const positions = await this.positions(mine);
    return events.map((e) => {
      const host = hostById.get(e.hostId);
      const ticket = ticketByEvent.get(e.id);
      const seesLink = managesEvent(principal, e) || ticket?.status === TicketStatus.Confirmed;
      return {
        id: e.id,
        title: e.title,
        description: e.description,
        category: e.category,
        starts_at: e.startsAt.toISOString(),
        date: e.startsAt.toISOString(),
        ends_at: new Date(e.startsAt.getTime() + e.durationMinutes * 60_000).toISOString(),
        duration_minutes: e.durationMinutes,
        location: e.location,
        is_online: e.onlineUrl !== null,
        online_url: seesLink ? e.onlineUrl : null,
        capacity: e.capacity,
        registered_count: e.registeredCount,
        waitlist_count: e.waitlistCount,
        seats_available: Math.max(0, e.capacity - e.registeredCount),
        price: fromMinorUnits(e.priceMinor, e.currency),
        currency: e.currency,
        is_free: e.priceMinor === 0,
        status: e.status,
        host: host ? toUserSummary(host) : { id: e.hostId, first_name: '', last_name: '', role: '' },
        my_ticket: ticket ? toTicketDto(ticket, positions.get(ticket.id) ?? null) : null,
        cancelled_at: iso(e.cancelledAt),
        created_at: e.createdAt.toISOString(),
        updated_at: e.updatedAt.toISOString(),
      };
    });
  }

  async attendees(tickets: EventTicket[]): Promise<AttendeeDto[]> {
    const [users, positions] = await Promise.all([this.directory.findMany(tickets.map((t) => t.userId)), this.positions(tickets)]);
    const userById = new Map(users.map((u) => [u.id, u]));
    return tickets.map((t) => {
      const user = userById.get(t.userId);
      return {
        ticket_id: t.id,
        user: user ? toUserSummary(user) : { id: t.userId, first_name: '', last_name: '', role: '' },
        status: t.status,
        waitlist_position: positions.get(t.id) ?? null,
        booked_at: t.createdAt.toISOString(),
        confirmed_at: iso(t.confirmedAt),
      };
    });
  }
}
