import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { Paginated } from 'src/common/http/envelope';
import { ListOrdering, paginate } from 'src/common/pagination/paginate';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { DataSource, In, Repository } from 'typeorm';
import { DueReminder, EventRemindersService } from './event-reminders.service';
import { EventTicket } from './entities/event-ticket.entity';
import { GroupEvent } from './entities/group-event.entity';
import { EventTicketsService, SeatFollowUps } from './event-tickets.service';
import { EventViews, managesEvent } from './event-views.service';
import { AttendeeDto, AttendeeQueryDto, CreateEventDto, EventDto, EventListQueryDto, UpdateEventDto } from './group-events.dto';
import { ACTIVE_TICKET, EventStatus, SEAT_HOLDING, TicketStatus } from './group-events.types';
import { fromMinorUnits, toMinorUnits } from 'src/common/money/money';
import { DEFAULT_CURRENCY } from './money';

/** Sorting of the event list. */
export const EVENTS_ORDERING = {
  orderable: { starts_at: 'e.startsAt', created_at: 'e.createdAt', price: 'e.priceMinor', title: 'e.title' },
  defaultOrdering: 'starts_at',
} satisfies ListOrdering;

/** Sorting of an event's attendees: `position` lists seat holders first, then the waitlist in line order. */
export const ATTENDEES_ORDERING = {
  orderable: { position: `CASE WHEN t.status = '${TicketStatus.Waitlisted}' THEN t.queue_seq ELSE 0 END`, booked_at: 't.createdAt' },
  defaultOrdering: 'position',
} satisfies ListOrdering;

const eventNotFound = (): AppException => new AppException('EVENTS.NOT_FOUND', 'Event not found.');

function priceInMinorUnits(price: string, currency: string): number {
  const minor = toMinorUnits(price, currency);
  if (minor === null) throw AppException.validation('price', `price has more decimals than ${currency} allows`);
  return minor;
}

/**
 * Group events: browse (any signed-in user), create (hosts: verified providers and staff),
 * edit and cancel (the event's host or staff), attendees (the same). Tickets and the
 * waitlist are EventTicketsService's; this service uses its locked seat machinery when a
 * change moves seats (capacity growth, cancellation).
 */
@Injectable()
export class GroupEventsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(GroupEvent) private readonly events: Repository<GroupEvent>,
    @InjectRepository(EventTicket) private readonly tickets: Repository<EventTicket>,
    private readonly seats: EventTicketsService,
    private readonly views: EventViews,
    private readonly notifications: NotificationsService,
    private readonly reminders: EventRemindersService,
  ) {}

  async list(principal: Principal, query: EventListQueryDto): Promise<Paginated<EventDto>> {
    const builder = this.events.createQueryBuilder('e').where('e.status = :status', { status: query.status ?? EventStatus.Scheduled });
    if (query.category) builder.andWhere('e.category = :category', { category: query.category });
    if (query.host_id) builder.andWhere('e.hostId = :hostId', { hostId: query.host_id });
    if (query.location) {
      builder.andWhere('e.location ILIKE :location', { location: `%${query.location.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    }
    // Upcoming by default; a date range replaces that.
    if (!query.date_after && !query.date_before) builder.andWhere('e.startsAt >= :now', { now: new Date() });
    const page = await paginate(builder, query, { ...EVENTS_ORDERING, searchable: ['e.title', 'e.description'], dateColumn: 'e.startsAt', tieBreaker: 'e.id' });
    return new Paginated(await this.views.events(principal, page.items), page.count, page.page, page.pageSize);
  }

  async get(principal: Principal, eventId: string): Promise<EventDto> {
    const event = await this.events.findOneBy({ id: eventId });
    if (!event) throw eventNotFound();
    return (await this.views.events(principal, [event]))[0];
  }

  async create(principal: Principal, dto: CreateEventDto): Promise<EventDto> {
    const currency = dto.currency ?? DEFAULT_CURRENCY;
    const priceMinor = dto.price === undefined ? 0 : priceInMinorUnits(dto.price, currency);
    if (dto.location === undefined && dto.online_url === undefined) throw placeRequired();
    let due: DueReminder[] = [];
    const saved = await this.dataSource.transaction(async (manager) => {
      const event = await manager.getRepository(GroupEvent).save(
        manager.getRepository(GroupEvent).create({
          hostId: principal.userId,
          title: dto.title,
          description: dto.description?.trim() || null,
          category: dto.category ?? 'general',
          startsAt: new Date(dto.starts_at),
          durationMinutes: dto.duration_minutes ?? 60,
          location: dto.location ?? null,
          onlineUrl: dto.online_url ?? null,
          capacity: dto.capacity,
          priceMinor,
          currency,
        }),
      );
      due = await this.reminders.schedule(manager, event);
      return event;
    });
    await this.reminders.enqueue(due);
    return this.get(principal, saved.id);
  }

  /**
   * Edits an event (host or staff). Capacity may grow, which moves the first in line into
   * the new seats in the same transaction, but never below the seats already taken. A new
   * time or place is announced to everyone holding a ticket.
   */
  async update(principal: Principal, eventId: string, dto: UpdateEventDto): Promise<EventDto> {
    const followUps: SeatFollowUps = { charge: [], refund: [] };
    let due: DueReminder[] = [];
    await this.dataSource.transaction(async (manager) => {
      const event = await this.seats.lockEvent(manager, eventId, followUps);
      if (!managesEvent(principal, event)) throw eventNotFound();
      if (event.status === EventStatus.Cancelled) throw new AppException('EVENTS.EVENT_CANCELLED', 'This event was cancelled.');
      if (event.startsAt.getTime() <= Date.now()) throw new AppException('EVENTS.EVENT_STARTED', 'This event has already started.');
      const location = dto.location === undefined ? event.location : dto.location;
      const onlineUrl = dto.online_url === undefined ? event.onlineUrl : dto.online_url;
      if (location === null && onlineUrl === null) throw placeRequired();
      if (dto.capacity !== undefined && dto.capacity < event.registeredCount) {
        throw new AppException('EVENTS.CAPACITY_BELOW_REGISTERED', `Capacity cannot go below the ${event.registeredCount} seats already taken.`, {
          capacity: [`capacity must be at least ${event.registeredCount}`],
        });
      }
      const currency = dto.currency ?? event.currency;
      // A new currency alone keeps the amount as written ("5.00" stays "5.00"), not its minor units.
      const price = dto.price ?? fromMinorUnits(event.priceMinor, event.currency);
      const priceMinor = priceInMinorUnits(price, currency);
      const startsAt = dto.starts_at === undefined ? event.startsAt : new Date(dto.starts_at);
      const moved =
        startsAt.getTime() !== event.startsAt.getTime() ||
        (dto.duration_minutes !== undefined && dto.duration_minutes !== event.durationMinutes) ||
        location !== event.location ||
        onlineUrl !== event.onlineUrl;
      await manager.getRepository(GroupEvent).update(event.id, {
        title: dto.title ?? event.title,
        description: dto.description === undefined ? event.description : dto.description?.trim() || null,
        category: dto.category ?? event.category,
        startsAt,
        durationMinutes: dto.duration_minutes ?? event.durationMinutes,
        location,
        onlineUrl,
        capacity: dto.capacity ?? event.capacity,
        priceMinor,
        currency,
      });
      event.capacity = dto.capacity ?? event.capacity;
      await this.seats.fillSeats(manager, event, followUps);
      if (startsAt.getTime() !== event.startsAt.getTime()) due = await this.reminders.schedule(manager, { id: event.id, startsAt });
      if (moved) {
        const holders = await manager.getRepository(EventTicket).find({ where: { eventId, status: In([...ACTIVE_TICKET]) }, select: { userId: true } });
        await this.notifications.notifyUsers(
          holders.map((t) => t.userId),
          { title: 'Event changed', message: `The time or place of "${dto.title ?? event.title}" changed. Check the details.`, type: NotificationType.EventTicket, relatedId: event.id },
          manager,
        );
      }
    });
    await this.seats.followUp(followUps);
    await this.reminders.enqueue(due);
    return this.get(principal, eventId);
  }

  /** Cancels an event (host or staff): every ticket is cancelled, its holder told, and what was charged refunded. */
  async cancel(principal: Principal, eventId: string): Promise<EventDto> {
    const followUps: SeatFollowUps = { charge: [], refund: [] };
    await this.dataSource.transaction(async (manager) => {
      const event = await this.seats.lockEvent(manager, eventId, followUps);
      if (!managesEvent(principal, event)) throw eventNotFound();
      if (event.status === EventStatus.Cancelled) throw new AppException('EVENTS.EVENT_CANCELLED', 'This event was already cancelled.');
      if (event.startsAt.getTime() <= Date.now()) throw new AppException('EVENTS.EVENT_STARTED', 'This event has already started.');
      const repository = manager.getRepository(EventTicket);
      const active = await repository.find({ where: { eventId, status: In([...ACTIVE_TICKET]) } });
      const now = new Date();
      if (active.length > 0) {
        await repository.update({ id: In(active.map((t) => t.id)) }, { status: TicketStatus.Cancelled, cancelledAt: now, holdExpiresAt: null, clientSecret: null });
      }
      followUps.refund.push(...active.filter((t) => SEAT_HOLDING.includes(t.status) && t.amountMinor > 0).map((t) => t.id));
      await manager.getRepository(GroupEvent).update(event.id, { status: EventStatus.Cancelled, cancelledAt: now, registeredCount: 0, waitlistCount: 0 });
      await this.reminders.cancel(manager, event.id);
      await this.notifications.notifyUsers(
        active.map((t) => t.userId),
        {
          title: 'Event cancelled',
          message: `"${event.title}" was cancelled. Your ticket is cancelled${active.some((t) => t.amountMinor > 0) ? ' and any payment refunded' : ''}.`,
          type: NotificationType.EventTicket,
          relatedId: event.id,
        },
        manager,
      );
    });
    await this.seats.followUp(followUps);
    return this.get(principal, eventId);
  }

  /** Seat holders and the waitlist with positions; only the host and staff see them (others: 404). */
  async attendees(principal: Principal, eventId: string, query: AttendeeQueryDto): Promise<Paginated<AttendeeDto>> {
    const event = await this.events.findOne({ where: { id: eventId }, select: { id: true, hostId: true } });
    if (!event || !managesEvent(principal, event)) throw eventNotFound();
    const statuses = query.status ? [query.status] : [...ACTIVE_TICKET];
    const builder = this.tickets.createQueryBuilder('t').where('t.eventId = :eventId', { eventId }).andWhere('t.status IN (:...statuses)', { statuses });
    const page = await paginate(builder, query, { ...ATTENDEES_ORDERING, dateColumn: 't.createdAt', tieBreaker: 't.id' });
    return new Paginated(await this.views.attendees(page.items), page.count, page.page, page.pageSize);
  }
}

const placeRequired = (): AppException => AppException.validation('location', 'Give a location, an online_url, or both.');
