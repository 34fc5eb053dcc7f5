import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { TicketStatus } from '../group-events.types';
import type { GroupEvent } from './group-event.entity';

/**
 * One user's ticket for one event. At most one active ticket (pending payment, confirmed or
 * waitlisted) per user and event, by a partial unique index. `queue_seq` is the ticket's
 * number in the event's line (given under the event row lock), unique per event: the
 * waitlist position is the count of waitlisted tickets at or before it.
 */
@Entity('event_tickets')
@Index('uq_event_tickets_active', ['eventId', 'userId'], { unique: true, where: "status IN ('pending_payment', 'confirmed', 'waitlisted')" })
@Index('uq_event_tickets_queue', ['eventId', 'queueSeq'], { unique: true, where: 'queue_seq IS NOT NULL' })
@Index('ix_event_tickets_event_status', ['eventId', 'status'])
@Index('ix_event_tickets_user_created', ['userId', 'createdAt'])
@Check('ck_event_tickets_status', `"status" IN ('pending_payment', 'confirmed', 'waitlisted', 'cancelled', 'payment_failed', 'expired')`)
@Check('ck_event_tickets_queue', `"status" <> 'waitlisted' OR "queue_seq" IS NOT NULL`)
@Check('ck_event_tickets_amount', `"amount_minor" >= 0`)
export class EventTicket {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @ManyToOne('GroupEvent', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<GroupEvent>;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 16 })
  status!: TicketStatus;

  /** The ticket's number in the event's line, when it ever waited in it. */
  @Column({ type: 'integer', nullable: true })
  queueSeq!: number | null;

  /** The price when booked (minor units; 0 = free), charged at booking or on promotion. */
  @Column({ type: 'integer', default: 0 })
  amountMinor!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** The buyer's payment method (a provider's token, never card data), kept to charge on promotion. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  paymentMethodId!: string | null;

  /** The payments module's record of the charge. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  paymentId!: string | null;

  /** For a charge that needs the buyer's action; shown only to the buyer. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  clientSecret!: string | null;

  /** Until when a pending payment holds its seat. */
  @Column({ type: 'timestamptz', nullable: true })
  holdExpiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
