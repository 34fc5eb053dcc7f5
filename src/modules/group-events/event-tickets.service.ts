import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Principal } from 'src/common/access/principal';
import { AppException } from 'src/common/errors/app.exception';
import { NotificationsService } from 'src/modules/notifications/notifications.service';
import { NotificationType } from 'src/modules/notifications/notifications.types';
import { PaymentSettlement, PaymentsService } from 'src/modules/payments/payments.service';
import type { ChargeResult } from 'src/modules/payments/payments.types';
import { DataSource, EntityManager, In, LessThan, QueryFailedError } from 'typeorm';
import { EventTicket } from './entities/event-ticket.entity';
import { GroupEvent } from './entities/group-event.entity';
import { EventViews } from './event-views.service';
import { BookTicketDto, TicketDto } from './group-events.dto';
import { ACTIVE_TICKET, EventStatus, SEAT_HOLDING, TicketStatus } from './group-events.types';

/** How long a seat waits for a payment that needs the buyer's action (or a charge that never came back). */
export const PAYMENT_HOLD_MINUTES = 15;

/** What a transaction over an event's seats leaves to do once it committed: charges and refunds, never under the row lock. */
export interface SeatFollowUps {
  /** Tickets now holding a seat as `pending_payment` that still need their charge. */
  charge: string[];
  /** Tickets that no longer hold a seat and may have been charged. */
  refund: string[];
}

const noFollowUps = (): SeatFollowUps => ({ charge: [], refund: [] });

const eventNotFound = (): AppException => new AppException('EVENTS.NOT_FOUND', 'Event not found.');
const ticketNotFound = (): AppException => new AppException('EVENTS.TICKET_NOT_FOUND', 'Ticket not found.');

/**
 * Tickets, seats and the waitlist. Every change to an event's tickets runs in a transaction
 * that first locks the event row (SELECT … FOR UPDATE): the counters on the event, the
 * line order and the promotions are then decided one transaction at a time per event,
 * and the CHECK on `registered_count <= capacity` and the unique active ticket per user
 * hold them in the database too. Payment calls are made after the commit, never while the
 * lock is held: a seat is held by a `pending_payment` ticket while its charge runs, and a
 * second short locked transaction records the outcome (a decline frees the seat for the next in line).
 */
@Injectable()
export class EventTicketsService implements OnModuleInit {
  private readonly logger = new Logger('GroupEvents');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly payments: PaymentsService,
    private readonly notifications: NotificationsService,
    private readonly views: EventViews,
  ) {}

  onModuleInit(): void {
    this.payments.onSettled('event_ticket', (settlement, manager) => this.paymentSettled(settlement, manager));
  }

  /**
   * A payment that needed the buyer's action settled (sandbox confirm, Stripe webhook), in
   * the payments module's transaction: the ticket is confirmed, or its seat released to the
   * next in line. What that leaves to charge or refund runs once that transaction ended.
   */
  private async paymentSettled(settlement: PaymentSettlement, manager: EntityManager): Promise<void> {
    const ticket = await manager.getRepository(EventTicket).findOne({ where: { id: settlement.referenceId }, select: { id: true, eventId: true } });
    if (!ticket) return;
    const followUps = noFollowUps();
    const event = await this.lockEvent(manager, ticket.eventId, followUps);
    const current = await manager.getRepository(EventTicket).findOneByOrFail({ id: ticket.id });
    const result: ChargeResult =
      settlement.status === 'succeeded'
        ? { paymentId: settlement.paymentId, status: 'succeeded', clientSecret: null, failureMessage: null }
        : { paymentId: settlement.paymentId, status: 'declined', clientSecret: null, failureMessage: null };
    await this.record(manager, event, current, result, followUps);
    if (followUps.charge.length > 0 || followUps.refund.length > 0) void this.afterCommit(event.id, followUps);
  }

  /**
   * Runs follow-ups once a transaction we do not control (the payments module's) has
   * ended: it holds the event row lock, so taking that lock waits for its commit or rollback.
   */
  private async afterCommit(eventId: string, followUps: SeatFollowUps): Promise<void> {
    try {
      await this.dataSource.transaction((manager) => manager.getRepository(GroupEvent).findOne({ where: { id: eventId }, lock: { mode: 'pessimistic_write' } }));
      await this.followUp(followUps);
    } catch (error) {
      this.logger.error(`Follow-ups of event ${eventId} failed: ${errorText(error)}`);
    }
  }

  /** The event, locked for the rest of the transaction; an expired payment hold is released first. */
  async lockEvent(manager: EntityManager, eventId: string, followUps: SeatFollowUps): Promise<GroupEvent> {
    const event = await manager.getRepository(GroupEvent).findOne({ where: { id: eventId }, lock: { mode: 'pessimistic_write' } });
    if (!event) throw eventNotFound();
    const expired = await manager.getRepository(EventTicket).find({
      where: { eventId, status: TicketStatus.PendingPayment, holdExpiresAt: LessThan(new Date()) },
      select: { id: true, userId: true },
    });
    if (expired.length > 0) {
      await manager.getRepository(EventTicket).update({ id: In(expired.map((t) => t.id)) }, { status: TicketStatus.Expired, holdExpiresAt: null, clientSecret: null });
      event.registeredCount -= expired.length;
      followUps.refund.push(...expired.map((t) => t.id));
      await this.notifications.notifyUsers(
        expired.map((t) => t.userId),
        { title: 'Seat released', message: `Your payment for "${event.title}" was not completed in time, so the seat went to the next person.`, type: NotificationType.EventTicket, relatedId: event.id },
        manager,
      );
      await this.fillSeats(manager, event, followUps);
    }
    return event;
  }

  /**
   * Moves the first in line into every free seat (in line order, each ticket once: under
   * the event lock) and stores the event's counters. A free ticket is confirmed and its
   * holder told at once; a paid one holds its seat as `pending_payment` and is charged after the commit.
   */
  async fillSeats(manager: EntityManager, event: GroupEvent, followUps: SeatFollowUps): Promise<void> {
    const free = event.status === EventStatus.Scheduled ? Math.min(event.capacity - event.registeredCount, event.waitlistCount) : 0;
    const repository = manager.getRepository(EventTicket);
    if (free > 0) {
      const next = await repository.find({ where: { eventId: event.id, status: TicketStatus.Waitlisted }, order: { queueSeq: 'ASC' }, take: free });
      const now = new Date();
      const freeTickets = next.filter((t) => t.amountMinor === 0);
      const paidTickets = next.filter((t) => t.amountMinor > 0);
      if (freeTickets.length > 0) {
        await repository.update({ id: In(freeTickets.map((t) => t.id)) }, { status: TicketStatus.Confirmed, confirmedAt: now });
        await this.notifications.notifyUsers(
          freeTickets.map((t) => t.userId),
          { title: 'You have a seat', message: `A seat opened at "${event.title}" and it is yours now.`, type: NotificationType.EventTicket, relatedId: event.id },
          manager,
        );
      }
      if (paidTickets.length > 0) {
        await repository.update({ id: In(paidTickets.map((t) => t.id)) }, { status: TicketStatus.PendingPayment, holdExpiresAt: holdUntil() });
        followUps.charge.push(...paidTickets.map((t) => t.id));
      }
      event.registeredCount += next.length;
      event.waitlistCount -= next.length;
    }
    await manager.getRepository(GroupEvent).update(event.id, {
      registeredCount: event.registeredCount,
      waitlistCount: event.waitlistCount,
      lastQueueSeq: event.lastQueueSeq,
    });
  }

  /**
   * Runs the charges and refunds a committed transaction left, until no promotion needs a
   * charge. They belong to other people than the caller, so a provider outage is logged,
   * not the caller's error: an uncharged promotion keeps its seat until its hold expires.
   */
  async followUp(followUps: SeatFollowUps): Promise<void> {
    const pending = [...followUps.charge];
    const refund = [...followUps.refund];
    while (pending.length > 0) {
      const ticketId = pending.shift() as string;
      let result: ChargeResult | null;
      try {
        result = await this.chargeTicket(ticketId);
      } catch (error) {
        if (!(error instanceof AppException) || error.getStatus() >= 500) {
          this.logger.error(`Charging promoted ticket ${ticketId} failed: ${errorText(error)}`);
          continue;
        }
        // A stored method the provider now refuses is a decline for this buyer.
        result = declinedResult(error.message);
      }
      if (!result) continue;
      const next = await this.settle(ticketId, result);
      pending.push(...next.charge);
      refund.push(...next.refund);
    }
    for (const ticketId of refund) await this.refund(ticketId);
  }

  async book(principal: Principal, dto: BookTicketDto): Promise<TicketDto> {
    const followUps = noFollowUps();
    const ticket = await this.dataSource
      .transaction(async (manager) => {
        const event = await this.lockEvent(manager, dto.event_id, followUps);
        if (event.status === EventStatus.Cancelled) throw new AppException('EVENTS.EVENT_CANCELLED', 'This event was cancelled.');
        if (event.startsAt.getTime() <= Date.now()) throw new AppException('EVENTS.EVENT_STARTED', 'This event has already started.');
        const paid = event.priceMinor > 0;
        if (paid && !dto.payment_method_id) {
          throw new AppException('EVENTS.PAYMENT_METHOD_REQUIRED', 'This event is paid: send a payment method.', {
            payment_method_id: ['payment_method_id is required for a paid event'],
          });
        }
        const repository = manager.getRepository(EventTicket);
        if (await repository.exists({ where: { eventId: event.id, userId: principal.userId, status: In([...ACTIVE_TICKET]) } })) throw alreadyBooked();
        const seat = event.registeredCount < event.capacity;
        const created = repository.create({
          eventId: event.id,
          userId: principal.userId,
          status: seat ? (paid ? TicketStatus.PendingPayment : TicketStatus.Confirmed) : TicketStatus.Waitlisted,
          queueSeq: seat ? null : event.lastQueueSeq + 1,
          amountMinor: event.priceMinor,
          currency: event.currency,
          paymentMethodId: paid ? (dto.payment_method_id ?? null) : null,
          holdExpiresAt: seat && paid ? holdUntil() : null,
          confirmedAt: seat && !paid ? new Date() : null,
        });
        const saved = await repository.save(created);
        if (seat) event.registeredCount += 1;
        else {
          event.lastQueueSeq += 1;
          event.waitlistCount += 1;
        }
        await this.fillSeats(manager, event, followUps);
        return saved;
      })
      .catch((error: unknown) => {
        if (error instanceof QueryFailedError && (error.driverError as { constraint?: string }).constraint === 'uq_event_tickets_active') throw alreadyBooked();
        throw error;
      });
    if (ticket.status === TicketStatus.PendingPayment) {
      let charge: ChargeResult;
      try {
        charge = await this.charge(ticket);
      } catch (error) {
        // The method was refused before any charge: the seat goes back, and the buyer hears why.
        await this.followUp(await this.settle(ticket.id, declinedResult('The payment method was refused.')));
        await this.followUp(followUps);
        throw error;
      }
      await this.followUp(await this.settle(ticket.id, charge));
    }
    await this.followUp(followUps);
    const final = await this.dataSource.getRepository(EventTicket).findOneByOrFail({ id: ticket.id });
    if (final.status === TicketStatus.PaymentFailed) {
      throw new AppException('EVENTS.PAYMENT_DECLINED', 'The payment was declined; no ticket was booked.', {
        payment_method_id: ['The payment was declined.'],
      });
    }
    return this.views.ticket(final);
  }

  /** Your active ticket for an event (404 when you hold none). */
  async mine(principal: Principal, eventId: string): Promise<TicketDto> {
    if (!(await this.dataSource.getRepository(GroupEvent).exists({ where: { id: eventId } }))) throw eventNotFound();
    const ticket = await this.dataSource.getRepository(EventTicket).findOne({
      where: { eventId, userId: principal.userId, status: In([...ACTIVE_TICKET]) },
    });
    if (!ticket) throw ticketNotFound();
    return this.views.ticket(ticket);
  }

  /**
   * Cancels your ticket. A seat holder's seat goes to the first in line in the same
   * transaction (exactly once: under the event lock); a waitlisted ticket just leaves the
   * line. A charged ticket is refunded after the commit.
   */
  async cancel(principal: Principal, ticketId: string): Promise<TicketDto> {
    const followUps = noFollowUps();
    const owned = await this.dataSource.getRepository(EventTicket).findOne({ where: { id: ticketId, userId: principal.userId }, select: { id: true, eventId: true } });
    if (!owned) throw ticketNotFound();
    const cancelled = await this.dataSource.transaction(async (manager) => {
      const event = await this.lockEvent(manager, owned.eventId, followUps);
      const repository = manager.getRepository(EventTicket);
      const ticket = await repository.findOneByOrFail({ id: ticketId });
      if (!ACTIVE_TICKET.includes(ticket.status)) throw new AppException('EVENTS.TICKET_NOT_ACTIVE', `This ticket is already ${ticket.status.replace('_', ' ')}.`);
      if (event.startsAt.getTime() <= Date.now()) throw new AppException('EVENTS.EVENT_STARTED', 'The event has already started.');
      return this.release(manager, event, ticket, followUps);
    });
    await this.followUp(followUps);
    return this.views.ticket(cancelled);
  }

  /**
   * Erasure of a ticket holder: each active ticket for an event still to come is cancelled
   * like `cancel` does it (seat to the next in line, refund), and every ticket of theirs loses
   * its payment details. The follow-ups (charges, refunds) are for after the commit.
   */
  async eraseHolder(userId: string, manager: EntityManager): Promise<SeatFollowUps> {
    const followUps = noFollowUps();
    const active = await manager.getRepository(EventTicket).find({ where: { userId, status: In(ACTIVE_TICKET) }, select: { id: true, eventId: true } });
    for (const { id, eventId } of active) {
      const event = await this.lockEvent(manager, eventId, followUps);
      if (event.startsAt.getTime() <= Date.now()) continue;
      await this.release(manager, event, await manager.getRepository(EventTicket).findOneByOrFail({ id }), followUps);
    }
    await manager.getRepository(EventTicket).update({ userId }, { paymentMethodId: null, clientSecret: null });
    return followUps;
  }

  /** Cancels an active ticket under its event's lock: the seat (or place in line) is freed and the next in line moves up. */
  private async release(manager: EntityManager, event: GroupEvent, ticket: EventTicket, followUps: SeatFollowUps): Promise<EventTicket> {
    if (SEAT_HOLDING.includes(ticket.status)) {
      event.registeredCount -= 1;
      if (ticket.amountMinor > 0) followUps.refund.push(ticket.id);
    } else {
      event.waitlistCount -= 1;
    }
    ticket.status = TicketStatus.Cancelled;
    ticket.cancelledAt = new Date();
    ticket.holdExpiresAt = null;
    ticket.clientSecret = null;
    const saved = await manager.getRepository(EventTicket).save(ticket);
    await this.fillSeats(manager, event, followUps);
    return saved;
  }

  /**
   * After the buyer completed a payment that needed their action: asks the payments module
   * for the charge's outcome (the same idempotent charge) and records it.
   */
  async confirmPayment(principal: Principal, ticketId: string): Promise<TicketDto> {
    const repository = this.dataSource.getRepository(EventTicket);
    const ticket = await repository.findOneBy({ id: ticketId, userId: principal.userId });
    if (!ticket) throw ticketNotFound();
    // Settled already (the payments module told us when the buyer completed it).
    if (ticket.status === TicketStatus.Confirmed) return this.views.ticket(ticket);
    if (ticket.status !== TicketStatus.PendingPayment || ticket.paymentId === null) {
      throw new AppException('EVENTS.PAYMENT_NOT_PENDING', 'This ticket has no payment waiting for your action.');
    }
    await this.followUp(await this.settle(ticket.id, await this.charge(ticket)));
    const final = await repository.findOneByOrFail({ id: ticket.id });
    if (final.status === TicketStatus.PaymentFailed) throw new AppException('EVENTS.PAYMENT_DECLINED', 'The payment was declined; the seat was released.');
    return this.views.ticket(final);
  }

  /** Charges a ticket that holds a seat pending payment (null when it no longer does); called only after the promotion committed. */
  private async chargeTicket(ticketId: string): Promise<ChargeResult | null> {
    const ticket = await this.dataSource.getRepository(EventTicket).findOneBy({ id: ticketId });
    if (!ticket || ticket.status !== TicketStatus.PendingPayment) return null;
    return this.charge(ticket);
  }

  private async charge(ticket: EventTicket): Promise<ChargeResult> {
    if (!ticket.paymentMethodId) return declinedResult('No payment method on file.');
    const event = await this.dataSource.getRepository(GroupEvent).findOne({ where: { id: ticket.eventId }, select: { id: true, title: true } });
    return this.payments.charge({
      userId: ticket.userId,
      amountMinor: ticket.amountMinor,
      currency: ticket.currency,
      paymentMethodId: ticket.paymentMethodId,
      purpose: 'event_ticket',
      referenceId: ticket.id,
      description: `Ticket: ${(event?.title ?? 'group event').slice(0, 150)}`,
    });
  }

  /** Records a charge's outcome under the event lock; returns what that leaves to do. */
  private async settle(ticketId: string, result: ChargeResult): Promise<SeatFollowUps> {
    const followUps = noFollowUps();
    const ticket = await this.dataSource.getRepository(EventTicket).findOneBy({ id: ticketId });
    if (!ticket) return followUps;
    await this.dataSource.transaction(async (manager) => {
      const event = await this.lockEvent(manager, ticket.eventId, followUps);
      const current = await manager.getRepository(EventTicket).findOneByOrFail({ id: ticketId });
      await this.record(manager, event, current, result, followUps);
    });
    return followUps;
  }

  /** A charge's outcome for a ticket, with its event locked: confirmed, still waiting for the buyer, or its seat released. */
  private async record(manager: EntityManager, event: GroupEvent, current: EventTicket, result: ChargeResult, followUps: SeatFollowUps): Promise<void> {
    const repository = manager.getRepository(EventTicket);
    if (current.status !== TicketStatus.PendingPayment) {
      // Confirmed already: the same payment recorded twice (the buyer's confirm and the payments module's news) changes nothing.
      // Cancelled or expired while the charge ran: give back what it took.
      const gone = current.status !== TicketStatus.Confirmed;
      if (gone && result.status === 'succeeded' && !followUps.refund.includes(current.id)) followUps.refund.push(current.id);
      return;
    }
    const promoted = current.queueSeq !== null;
    if (result.status === 'succeeded') {
      await repository.update(current.id, { status: TicketStatus.Confirmed, paymentId: result.paymentId, clientSecret: null, holdExpiresAt: null, confirmedAt: new Date() });
      if (promoted) {
        await this.notify(manager, current.userId, event, 'You have a seat', `A seat opened at "${event.title}": your payment went through and the seat is yours.`);
      }
    } else if (result.status === 'requires_action') {
      await repository.update(current.id, { paymentId: result.paymentId, clientSecret: result.clientSecret });
      if (promoted) {
        await this.notify(manager, current.userId, event, 'Complete your payment', `A seat opened at "${event.title}". Complete your payment within ${PAYMENT_HOLD_MINUTES} minutes to keep it.`);
      }
    } else {
      await repository.update(current.id, { status: TicketStatus.PaymentFailed, paymentId: result.paymentId || null, clientSecret: null, holdExpiresAt: null });
      event.registeredCount -= 1;
      if (promoted) {
        await this.notify(manager, current.userId, event, 'Payment declined', `A seat opened at "${event.title}" but your payment was declined, so it went to the next person.`);
      }
    }
    await this.fillSeats(manager, event, followUps);
  }

  private async refund(ticketId: string): Promise<void> {
    try {
      await this.payments.refund('event_ticket', ticketId);
    } catch (error) {
      // Nothing charged (a hold released before its charge) is no failure; a provider outage is logged for staff.
      if (error instanceof AppException && error.getStatus() < 500) this.logger.debug(`No refund for ticket ${ticketId}: ${error.code}`);
      else this.logger.error(`Refunding ticket ${ticketId} failed: ${errorText(error)}`);
    }
  }

  private async notify(manager: EntityManager, userId: string, event: GroupEvent, title: string, message: string): Promise<void> {
    await this.notifications.notifyUsers([userId], { title, message, type: NotificationType.EventTicket, relatedId: event.id }, manager);
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const holdUntil = (): Date => new Date(Date.now() + PAYMENT_HOLD_MINUTES * 60_000);

const declinedResult = (message: string): ChargeResult => ({ paymentId: '', status: 'declined', clientSecret: null, failureMessage: message });

const alreadyBooked = (): AppException => new AppException('EVENTS.ALREADY_BOOKED', 'You already hold a ticket for this event.');
