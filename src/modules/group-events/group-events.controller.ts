import { Body, Controller, Delete, Get, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from 'src/common/access/access.decorators';
import { Permission } from 'src/common/access/permissions';
import type { Principal } from 'src/common/access/principal';
import { ApiEnvelope, ApiError } from 'src/common/http/api-responses';
import { Paginated } from 'src/common/http/envelope';
import { ApiOrdering } from 'src/common/pagination/api-ordering';
import { UuidParam } from 'src/common/validation/uuid-param';
import { EventTicketsService } from './event-tickets.service';
import { AttendeeDto, AttendeeQueryDto, BookTicketDto, CreateEventDto, EventDto, EventListQueryDto, TicketDto, UpdateEventDto } from './group-events.dto';
import { ATTENDEES_ORDERING, EVENTS_ORDERING, GroupEventsService } from './group-events.service';

/** HumanLink's group events: browse, book a ticket or join the waitlist; hosts manage their events. */
@ApiTags('events')
@Controller('events')
export class GroupEventsController {
  constructor(
    private readonly events: GroupEventsService,
    private readonly tickets: EventTicketsService,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Group events, upcoming by default, with seats, waitlist and your ticket.' })
  @ApiOrdering(EVENTS_ORDERING)
  @ApiEnvelope(EventDto, { paginated: true })
  list(@CurrentUser() user: Principal, @Query() query: EventListQueryDto): Promise<Paginated<EventDto>> {
    return this.events.list(user, query);
  }

  @Post()
  @Authenticated(Permission.EventsHost)
  @ApiOperation({ summary: 'Create an event (verified therapists and friends, and staff); you are its host.' })
  @ApiEnvelope(EventDto, { status: HttpStatus.CREATED })
  create(@CurrentUser() user: Principal, @Body() dto: CreateEventDto): Promise<EventDto> {
    return this.events.create(user, dto);
  }

  @Post('book')
  @Authenticated()
  @ApiOperation({
    summary: 'Book a ticket: a seat (a paid one is charged now) or, when full, a place on the waitlist (charged only when you move up).',
  })
  @ApiEnvelope(TicketDto, { status: HttpStatus.CREATED })
  @ApiError(
    'EVENTS.NOT_FOUND',
    'EVENTS.ALREADY_BOOKED',
    'EVENTS.EVENT_CANCELLED',
    'EVENTS.EVENT_STARTED',
    'EVENTS.PAYMENT_METHOD_REQUIRED',
    'EVENTS.PAYMENT_DECLINED',
    'PAYMENTS.UNKNOWN_PAYMENT_METHOD',
  )
  book(@CurrentUser() user: Principal, @Body() dto: BookTicketDto): Promise<TicketDto> {
    return this.tickets.book(user, dto);
  }

  @Delete('tickets/:ticketId')
  @Authenticated()
  @ApiOperation({ summary: 'Cancel your ticket; a freed seat goes to the first in line. A charged ticket is refunded.' })
  @ApiEnvelope(TicketDto)
  @ApiError('EVENTS.TICKET_NOT_FOUND', 'EVENTS.TICKET_NOT_ACTIVE', 'EVENTS.EVENT_STARTED')
  cancelTicket(@CurrentUser() user: Principal, @UuidParam('ticketId') ticketId: string): Promise<TicketDto> {
    return this.tickets.cancel(user, ticketId);
  }

  @Post('tickets/:ticketId/confirm')
  @Authenticated()
  @ApiOperation({ summary: 'After completing a payment that needed your action (3-D Secure): record its outcome and confirm the seat.' })
  @ApiEnvelope(TicketDto)
  @ApiError('EVENTS.TICKET_NOT_FOUND', 'EVENTS.PAYMENT_NOT_PENDING', 'EVENTS.PAYMENT_DECLINED')
  confirmPayment(@CurrentUser() user: Principal, @UuidParam('ticketId') ticketId: string): Promise<TicketDto> {
    return this.tickets.confirmPayment(user, ticketId);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One event, with your ticket if you hold one.' })
  @ApiEnvelope(EventDto)
  @ApiError('EVENTS.NOT_FOUND')
  get(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<EventDto> {
    return this.events.get(user, id);
  }

  @Patch(':id')
  @Authenticated(Permission.EventsHost)
  @ApiOperation({ summary: 'Edit an event (its host or staff). Capacity may grow (the waitlist moves up) but not below the seats taken.' })
  @ApiEnvelope(EventDto)
  @ApiError('EVENTS.NOT_FOUND', 'EVENTS.EVENT_CANCELLED', 'EVENTS.EVENT_STARTED', 'EVENTS.CAPACITY_BELOW_REGISTERED')
  update(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Body() dto: UpdateEventDto): Promise<EventDto> {
    return this.events.update(user, id, dto);
  }

  @Delete(':id')
  @Authenticated(Permission.EventsHost)
  @ApiOperation({ summary: 'Cancel an event (its host or staff): tickets are cancelled, holders notified, payments refunded.' })
  @ApiEnvelope(EventDto)
  @ApiError('EVENTS.NOT_FOUND', 'EVENTS.EVENT_CANCELLED', 'EVENTS.EVENT_STARTED')
  cancel(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<EventDto> {
    return this.events.cancel(user, id);
  }

  @Get(':id/tickets/me')
  @Authenticated()
  @ApiOperation({ summary: 'Your active ticket for this event (pending payment, confirmed or waitlisted with your position).' })
  @ApiEnvelope(TicketDto)
  @ApiError('EVENTS.NOT_FOUND', 'EVENTS.TICKET_NOT_FOUND')
  myTicket(@CurrentUser() user: Principal, @UuidParam('id') id: string): Promise<TicketDto> {
    return this.tickets.mine(user, id);
  }

  @Get(':id/attendees')
  @Authenticated()
  @ApiOperation({ summary: 'Seat holders and the waitlist with positions (the event’s host and staff).' })
  @ApiOrdering(ATTENDEES_ORDERING)
  @ApiEnvelope(AttendeeDto, { paginated: true })
  @ApiError('EVENTS.NOT_FOUND')
  attendees(@CurrentUser() user: Principal, @UuidParam('id') id: string, @Query() query: AttendeeQueryDto): Promise<Paginated<AttendeeDto>> {
    return this.events.attendees(user, id, query);
  }
}
