import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { EventReminderStatus } from '../group-events.types';
import { GroupEvent } from './group-event.entity';

/**
 * One reminder of one event at one offset before its start (SESSION_REMINDER_MINUTES, as for
 * sessions). The row is the job's idempotency key: `event.remind` sends only while the row
 * is `scheduled` and due, to the seat holders of that moment.
 */
@Entity('event_reminders')
@Unique('uq_event_reminders_offset', ['eventId', 'offsetMinutes'])
@Check('ck_event_reminders_status', `"status" IN ('scheduled', 'sent', 'cancelled', 'skipped')`)
@Check('ck_event_reminders_offset', `"offset_minutes" > 0`)
@Index('ix_event_reminders_due', ['dueAt'], { where: `status = 'scheduled'` })
export class EventReminder {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @ManyToOne(() => GroupEvent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: Relation<GroupEvent>;

  /** Minutes before the start. */
  @Column({ type: 'integer' })
  offsetMinutes!: number;

  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: EventReminderStatus;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
