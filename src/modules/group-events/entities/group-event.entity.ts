import type { User } from 'src/modules/users/user.entity';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { EventStatus } from '../group-events.types';

/**
 * A group event. `registered_count` (seats held: confirmed and pending-payment tickets)
 * and `waitlist_count` are columns changed only under this row's lock, in the transaction
 * that changes the tickets; the CHECKs make "never one more than capacity" the database's
 * rule, not a read before a write. `last_queue_seq` numbers the waitlist in arrival order.
 */
@Entity('group_events')
@Index('ix_group_events_status_starts', ['status', 'startsAt'])
@Index('ix_group_events_host_starts', ['hostId', 'startsAt'])
@Check('ck_group_events_status', `"status" IN ('scheduled', 'cancelled')`)
@Check('ck_group_events_capacity', `"capacity" BETWEEN 1 AND 10000`)
@Check('ck_group_events_registered', `"registered_count" >= 0 AND "registered_count" <= "capacity"`)
@Check('ck_group_events_waitlist', `"waitlist_count" >= 0 AND "last_queue_seq" >= "waitlist_count"`)
@Check('ck_group_events_duration', `"duration_minutes" BETWEEN 15 AND 1440`)
@Check('ck_group_events_price', `"price_minor" >= 0`)
@Check('ck_group_events_currency', `"currency" ~ '^[A-Z]{3}$'`)
@Check('ck_group_events_place', `"location" IS NOT NULL OR "online_url" IS NOT NULL`)
export class GroupEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  hostId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_id' })
  host?: Relation<User>;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 60 })
  category!: string;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'integer' })
  durationMinutes!: number;

  /** A place (address, venue); null for an online-only event. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  location!: string | null;

  /** The https link of an online event; shown only to the host, staff and seat holders. */
  @Column({ type: 'varchar', length: 2048, nullable: true })
  onlineUrl!: string | null;

  @Column({ type: 'integer' })
  capacity!: number;

  @Column({ type: 'integer', default: 0 })
  registeredCount!: number;

  @Column({ type: 'integer', default: 0 })
  waitlistCount!: number;

  @Column({ type: 'integer', default: 0 })
  lastQueueSeq!: number;

  /** Integer minor units; 0 is a free event. */
  @Column({ type: 'integer', default: 0 })
  priceMinor!: number;

  @Column({ type: 'varchar', length: 3, default: 'USD' })
  currency!: string;

  @Column({ type: 'varchar', length: 16, default: EventStatus.Scheduled })
  status!: EventStatus;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
